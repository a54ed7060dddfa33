import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ChatService } from '../chat/answer-question.js';
import type { GlossaryStatus } from '../glossary/reloader.js';
import type { Glossary } from '../glossary/types.js';
import type { UiLanguage } from '../lang/languages.js';
import type { Logger } from '../log/logger.js';
import type { StatusReport } from '../aws/status-types.js';
import type { ConversationRepository } from '../store/conversations.js';
import type { Translator } from '../translate/translator.js';
import type { FeedbackRepository } from '../store/feedback.js';
import { handleError, sendError } from './errors.js';
import { clientErrorHandler } from './plugins/client-errors.js';
import { embeddedSecurity, installSecurity, securityServerOptions, type ServerSecurity } from './plugins/security.js';
import { registerChatRoutes } from './routes/chat.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { registerGlossaryRoutes } from './routes/glossary.js';
import { registerInfoRoutes } from './routes/info.js';
import { registerTranslateRoutes } from './routes/translate.js';
import { registerUsageRoutes } from './routes/usage.js';
import type { UsageReporter } from '../usage/service.js';

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

export async function buildServer(deps: ServerDependencies): Promise<{ app: FastifyInstance; activeStreams: ActiveStreams }> {
  const security = deps.security ?? embeddedSecurity();
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: deps.bodyLimitBytes ?? 64 * 1024,
    ...securityServerOptions(security),
    clientErrorHandler,
    routerOptions: { maxParamLength: 200 },
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
  });
  const activeStreams: ActiveStreams = { controllers: new Set() };
  app.setErrorHandler((error, request, reply) => handleError(error, request, reply));
  // Before any route: hooks added here apply to every route registered after.
  await installSecurity(app as unknown as FastifyInstance, security, activeStreams);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const { ready, reasons } = deps.readiness();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', reasons });
  });

  await app.register(
    async (api) => {
      registerChatRoutes(api, deps, activeStreams);
      registerConversationRoutes(api, deps);
      registerInfoRoutes(api, deps);
      registerGlossaryRoutes(api, deps);
      registerTranslateRoutes(api, deps);
      registerUsageRoutes(api, deps);
    },
    { prefix: '/api' },
  );

  const webRoot = deps.webRoot;
  if (webRoot && existsSync(path.join(webRoot, 'index.html'))) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });
    app.setNotFoundHandler((request, reply) => {
      const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && !path.extname(request.url.split('?')[0] ?? '');
      if (wantsPage) return reply.type('text/html; charset=utf-8').sendFile('index.html');
      return sendError(reply, 404, 'not_found', 'No such resource.');
    });
  } else {
    app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'No such resource.'));
  }
  return { app: app as unknown as FastifyInstance, activeStreams };
}
