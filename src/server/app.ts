import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ChatService } from '../chat/answer-question.js';
import { ENDPOINTS, type OpenApiDocument } from '../contract/endpoints.js';
import type { Glossary, GlossaryStatus } from '../contract/glossary.js';
import type { UiLanguage } from '../contract/languages.js';
import type { Readiness, StatusReport } from '../contract/status.js';
import type { Logger } from '../log/logger.js';
import type { ConversationRepository } from '../store/conversations.js';
import type { FeedbackRepository } from '../store/feedback.js';
import type { Translator } from '../translate/translator.js';
import type { UsageReporter } from '../usage/service.js';
import { api } from './api.js';
import { endpointRoute } from './endpoint-route.js';
import { handleError, sendError } from './errors.js';
import { clientErrorHandler } from './plugins/client-errors.js';
import { setSensitiveValues } from './plugins/client-text.js';
import { embeddedSecurity, securityServerOptions, type ServerSecurity } from './plugins/security.js';
import { installSecurityHeaders } from './plugins/security-headers.js';

export interface ServerDependencies {
  logger: Logger;
  chat: ChatService;
  conversations: ConversationRepository;
  feedback: FeedbackRepository;
  status: () => StatusReport;
  readiness: () => { ready: boolean; reasons: string[] };
  examples: (language: UiLanguage) => Promise<string[]>;
  glossary: () => Glossary | null;
  /** Hot-reload state of the glossary file; GET /api/glossary/status. */
  glossaryStatus?: () => GlossaryStatus;
  /** POST /api/translate; absent or unavailable = 503 translation_unavailable. */
  translator?: Translator;
  /** GET /api/usage, /api/alarms and the per-conversation usage totals (src/usage); absent = 503 usage_unavailable. */
  usage?: UsageReporter;
  maxMessageChars: number;
  /** Folder of the built web app; served at / when it exists. */
  webRoot?: string;
  bodyLimitBytes?: number;
  /** Login, roles, rate limits, headers (securityFromSettings). Absent: loopback single-user mode without limits. */
  security?: ServerSecurity;
}

/** Every request that changes state or streams an answer is tracked here, so shutdown can wait for it. */
export interface ActiveStreams {
  controllers: Set<AbortController>;
}

const VERSION = '0.1.0';

export async function buildServer(deps: ServerDependencies): Promise<{ app: FastifyInstance; activeStreams: ActiveStreams }> {
  const security = deps.security ?? embeddedSecurity();
  setSensitiveValues(security.sensitiveValues ?? []);
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
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
