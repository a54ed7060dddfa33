import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { termKey } from '../../glossary/terms.js';
import { GLOSSARY_CATEGORIES, type Glossary, type GlossaryEntry } from '../../glossary/types.js';
import type { ServerDependencies } from '../app.js';
import { sendError } from '../errors.js';

const glossaryQuerySchema = z.object({
  q: z.string().max(200).optional(),
  category: z.enum(GLOSSARY_CATEGORIES).optional(),
});

/**
 * GET /api/glossary: the loaded glossary file (optionally filtered by `q` and `category`, same
 * shape), with an ETag so a panel can poll cheaply and notice a hot reload.
 * GET /api/glossary/status: whether the file on disk is in use or broken.
 */
export function registerGlossaryRoutes(api: FastifyInstance, deps: ServerDependencies): void {
  const etags = new WeakMap<Glossary, string>();
  const etagOf = (glossary: Glossary): string => {
    let tag = etags.get(glossary);
    if (tag === undefined) {
      tag = `"${createHash('sha256').update(JSON.stringify(glossary)).digest('base64url').slice(0, 22)}"`;
      etags.set(glossary, tag);
    }
    return tag;
  };

  api.get('/glossary', async (request, reply) => {
    const query = glossaryQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendError(
        reply,
        400,
        'invalid_request',
        `category must be one of ${GLOSSARY_CATEGORIES.join(', ')}; q at most 200 characters`,
      );
    const glossary = deps.glossary();
    if (!glossary) return sendError(reply, 503, 'glossary_unavailable', 'No glossary is loaded.');
    const status = deps.glossaryStatus?.();
    const etag = etagOf(glossary);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (status) reply.header('x-glossary-status', status.ok ? 'ok' : 'error').header('x-glossary-loaded-at', status.loadedAt);
    const { q, category } = query.data;
    if (q === undefined && category === undefined && request.headers['if-none-match'] === etag) return reply.code(304).send();
    if (q === undefined && category === undefined) return glossary;
    return {
      ...glossary,
      entries: glossary.entries.filter((entry) => (category === undefined || entry.category === category) && matches(entry, q)),
    };
  });

  api.get('/glossary/status', async (_request, reply) => {
    const status = deps.glossaryStatus?.();
    if (!status) {
      const glossary = deps.glossary();
      if (!glossary) return sendError(reply, 503, 'glossary_unavailable', 'No glossary is loaded.');
      return { ok: true, game: glossary.game, version: glossary.version, entries: glossary.entries.length };
    }
    return status;
  });
}

/** Case-, width- and spacing-insensitive substring search over an entry's id, names, aliases and description. */
function matches(entry: GlossaryEntry, q: string | undefined): boolean {
  if (q === undefined || q.trim() === '') return true;
  const needle = termKey(q);
  const haystack = [entry.id, ...Object.values(entry.names), ...Object.values(entry.aliases).flat(), entry.description];
  return haystack.some((text) => text !== undefined && termKey(text).includes(needle));
}
