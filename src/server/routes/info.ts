import type { FastifyInstance } from 'fastify';
import type { ServerDependencies } from '../app.js';
import { sendError } from '../errors.js';
import { principalOf } from '../plugins/access.js';
import { statusFor } from '../plugins/status-view.js';
import { examplesQuerySchema } from '../validation.js';

export function registerInfoRoutes(api: FastifyInstance, deps: ServerDependencies): void {
  // Agents see states and features; dependency details and missing IAM actions are for admins.
  api.get('/status', async (request) => statusFor(principalOf(request), deps.status()));

  api.get('/examples', async (request, reply) => {
    const query = examplesQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_language', 'lang must be "ko" or "en".');
    return { questions: await deps.examples(query.data.lang) };
  });
}
