import type { FastifyInstance } from 'fastify';
import type { ServerDependencies } from '../app.js';
import { sendError } from '../errors.js';
import { examplesQuerySchema } from '../validation.js';

export function registerInfoRoutes(api: FastifyInstance, deps: ServerDependencies): void {
  api.get('/status', async () => deps.status());

  api.get('/examples', async (request, reply) => {
    const query = examplesQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_language', 'lang must be "ko" or "en".');
    return { questions: await deps.examples(query.data.lang) };
  });

  api.get('/glossary', async (_request, reply) => {
    const glossary = deps.glossary();
    if (!glossary) return sendError(reply, 503, 'glossary_unavailable', 'No glossary is loaded.');
    return glossary;
  });
}
