import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ENDPOINTS, type OpenApiDocument } from '../contract/endpoints.js';
import type { ServerDependencies } from './dependencies.js';
import type { ActiveStreams } from './http/active-streams.js';
import { endpointRoute } from './http/endpoint-route.js';
import { sendError } from './http/errors.js';
import { installApiGuards, type ServerSecurity } from './plugins/security.js';
import { adminRoutes } from './routes/admin.js';
import { chatRoutes } from './routes/chat.js';
import { conversationRoutes } from './routes/conversations.js';
import { glossaryRoutes } from './routes/glossary.js';
import { infoRoutes } from './routes/info.js';
import { translateRoutes } from './routes/translate.js';
import { usageRoutes } from './routes/usage.js';

export interface ApiOptions {
  deps: ServerDependencies;
  security: ServerSecurity;
  active: ActiveStreams;
  /** The OpenAPI document of the whole server (@fastify/swagger). */
  openapi: () => OpenApiDocument;
}

/**
 * The /api scope: its guards (rate limits, same-origin, authentication, stream slots) run for
 * every request in it, unknown URLs included, and each route's contract entry says which apply.
 */
export const api: FastifyPluginAsyncZod<ApiOptions> = async (scope, { deps, security, active, openapi }) => {
  const slots = await installApiGuards(scope, security);
  scope.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'No such resource.'));

  scope.route({ ...endpointRoute(ENDPOINTS.openapi), handler: async () => openapi() });
  await scope.register(chatRoutes, { chat: deps.chat, maxMessageChars: deps.maxMessageChars, active });
  await scope.register(conversationRoutes, { conversations: deps.conversations, feedback: deps.feedback, usage: deps.usage });
  await scope.register(infoRoutes, { status: deps.status, examples: deps.examples });
  await scope.register(glossaryRoutes, { glossary: deps.glossary, glossaryStatus: deps.glossaryStatus });
  await scope.register(translateRoutes, { translator: deps.translator });
  await scope.register(usageRoutes, { usage: deps.usage });
  await scope.register(adminRoutes, { tokens: security.tokens, active, slotsHeld: () => slots?.total ?? 0 });
};
