import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ENDPOINTS, type OpenApiDocument } from '../contract/endpoints.js';
import type { Readiness } from '../contract/status.js';
import type { ServerDependencies } from './dependencies.js';
import type { ActiveStreams } from './http/active-streams.js';
import { api } from './api.js';
import { endpointRoute } from './http/endpoint-route.js';
import { handleError, sendError } from './http/errors.js';
import { clientErrorHandler } from './plugins/client-errors.js';
import { setSensitiveValues } from './http/client-text.js';
import { embeddedSecurity, securityServerOptions } from './plugins/security.js';
import { installSecurityHeaders } from './plugins/security-headers.js';

const VERSION = '0.1.0';

export async function buildServer(deps: ServerDependencies): Promise<{ app: FastifyInstance; activeStreams: ActiveStreams }> {
  const security = deps.security ?? embeddedSecurity();
  setSensitiveValues(security.sensitiveValues ?? []);
  // Fastify's own logger type, so plugins do not carry pino's generics.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: deps.bodyLimitBytes ?? 64 * 1024,
    ...securityServerOptions(security),
    clientErrorHandler,
    routerOptions: { maxParamLength: 200 },
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  const activeStreams: ActiveStreams = { controllers: new Set() };

  await installSecurityHeaders(app);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'dualnova API',
        version: VERSION,
        description: 'Bilingual relay answers for a game-support desk. Generated from src/contract; see docs/api.md.',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.route({ ...endpointRoute(ENDPOINTS.health, ''), handler: async () => ({ status: 'ok' as const }) });
  app.route({
    ...endpointRoute(ENDPOINTS.readiness, ''),
    handler: async (_request, reply) => {
      const { ready, reasons } = deps.readiness();
      const body: Readiness = { status: ready ? 'ready' : 'not_ready', reasons };
      return reply.code(ready ? 200 : 503).send(body);
    },
  });
  await app.register(api, { prefix: '/api', deps, security, active: activeStreams, openapi: () => app.swagger() as OpenApiDocument });

  const webRoot = deps.webRoot;
  if (webRoot && existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((request, reply) => {
      const wantsPage = request.method === 'GET' && !path.extname(request.url.split('?')[0] ?? '');
      if (wantsPage) return reply.type('text/html; charset=utf-8').sendFile('index.html');
      return sendError(reply, 404, 'not_found', 'No such resource.');
    });
  } else {
    app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'No such resource.'));
  }
  await app.ready();
  return { app, activeStreams };
}
