import type { Endpoint } from '../../contract/endpoints.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The contract entry a route was registered from; the /api hooks read access, metering and streaming from it. */
    endpoint?: Endpoint;
  }
}

type Field<E, K extends string> = E extends Record<K, infer T> ? T : undefined;

interface RouteSchema<E extends Endpoint> {
  summary: string;
  tags: string[];
  body: Field<E, 'body'>;
  querystring: Field<E, 'querystring'>;
  params: Field<E, 'params'>;
  response: E['response'];
}

/**
 * Fastify route options for a contract endpoint, relative to the scope's prefix: method, URL,
 * schemas (validated and serialized by the zod type provider, listed in the OpenAPI document)
 * and the endpoint itself as route config.
 */
export function endpointRoute<const E extends Endpoint>(endpoint: E, prefix: '' | '/api' = '/api') {
  if (!endpoint.path.startsWith(prefix)) throw new Error(`${endpoint.path} is not under ${prefix || '/'}`);
  // Absent parts are left out, not set to undefined (Fastify warns about undefined schemas); the
  // type keeps each part's exact schema so handlers get typed bodies, queries and params.
  const schema = {
    summary: endpoint.summary,
    tags: [endpoint.tag],
    ...(endpoint.body ? { body: endpoint.body } : {}),
    ...(endpoint.querystring ? { querystring: endpoint.querystring } : {}),
    ...(endpoint.params ? { params: endpoint.params } : {}),
    response: endpoint.response,
  } as RouteSchema<E>;
  return { method: endpoint.method, url: endpoint.path.slice(prefix.length), schema, config: { endpoint } };
}
