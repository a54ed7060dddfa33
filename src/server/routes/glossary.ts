import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ENDPOINTS } from '../../contract/endpoints.js';
import type { Glossary, GlossaryEntry, GlossaryStatus } from '../../contract/glossary.js';
import { AppError } from '../../errors/app-error.js';
import { termKey } from '../../glossary/terms.js';
import { endpointRoute } from '../http/endpoint-route.js';

export interface GlossaryRouteOptions {
  glossary: () => Glossary | null;
  /** Hot-reload state of the glossary file. */
  glossaryStatus?: (() => GlossaryStatus) | undefined;
}

const unavailable = () => new AppError('glossary_unavailable', 503, 'No glossary is loaded.');

/**
 * GET /api/glossary: the loaded glossary file (optionally filtered by `q` and `category`, same
 * shape), with an ETag so a panel can poll cheaply and notice a hot reload.
 * GET /api/glossary/status: whether the file on disk is in use or broken.
 */
export const glossaryRoutes: FastifyPluginAsyncZod<GlossaryRouteOptions> = async (api, deps) => {
  const etags = new WeakMap<Glossary, string>();
  const etagOf = (glossary: Glossary): string => {
    let tag = etags.get(glossary);
    if (tag === undefined) {
      tag = `"${createHash('sha256').update(JSON.stringify(glossary)).digest('base64url').slice(0, 22)}"`;
      etags.set(glossary, tag);
    }
    return tag;
  };

  api.route({
    ...endpointRoute(ENDPOINTS.glossary),
    handler: async (request, reply) => {
      const glossary = deps.glossary();
      if (!glossary) throw unavailable();
      const status = deps.glossaryStatus?.();
      const etag = etagOf(glossary);
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (status) reply.header('x-glossary-status', status.ok ? 'ok' : 'error').header('x-glossary-loaded-at', status.loadedAt);
      const { q, category } = request.query;
      if (q === undefined && category === undefined && request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      if (q === undefined && category === undefined) return glossary;
      return {
        ...glossary,
        entries: glossary.entries.filter((entry) => (category === undefined || entry.category === category) && matches(entry, q)),
      };
    },
  });

  api.route({
    ...endpointRoute(ENDPOINTS.glossaryStatus),
    handler: async () => {
      const status = deps.glossaryStatus?.();
      if (status) return status;
      const glossary = deps.glossary();
      if (!glossary) throw unavailable();
      return { ok: true, game: glossary.game, version: glossary.version, entries: glossary.entries.length };
    },
  });
};

/** Case-, width- and spacing-insensitive substring search over an entry's id, names, aliases and description. */
function matches(entry: GlossaryEntry, q: string | undefined): boolean {
  if (q === undefined || q.trim() === '') return true;
  const needle = termKey(q);
  const haystack = [entry.id, ...Object.values(entry.names), ...Object.values(entry.aliases).flat(), entry.description];
  return haystack.some((text) => text !== undefined && termKey(text).includes(needle));
}
