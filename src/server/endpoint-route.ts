import type { Endpoint } from '../contract/endpoints.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The contract entry a route was registered from; the /api hooks read access, metering and streaming from it. */
    endpoint?: Endpoint;
  }
}

type Field<E, K extends string> = E extends Record<K, infer T> ? T : undefined;

/**
 * Fastify route options for a contract endpoint, relative to the scope's prefix: method, URL,
 * schemas (validated and serialized by the zod type provider, listed in the OpenAPI document)
 * and the endpoint itself as route config.
 */
export function endpointRoute<const E extends Endpoint>(endpoint: E, prefix: '' | '/api' = '/api') {
  if (!endpoint.path.startsWith(prefix)) throw new Error(`${endpoint.path} is not under ${prefix || '/'}`);
  return {
    method: endpoint.method,
    url: endpoint.path.slice(prefix.length),
    schema: {
      summary: endpoint.summary,
      tags: [endpoint.tag],
      body: endpoint.body as Field<E, 'body'>,
      querystring: endpoint.querystring as Field<E, 'querystring'>,
      params: endpoint.params as Field<E, 'params'>,
      response: endpoint.response as E['response'],
    },
    config: { endpoint },
  };
}
