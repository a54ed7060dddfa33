import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ChatService } from '../../chat/answer-question.js';
import type { ChatEvent } from '../../contract/chat.js';
import { WARNING_SEVERITY } from '../../contract/codes.js';
import { ENDPOINTS } from '../../contract/endpoints.js';
import { AppError } from '../../errors/app-error.js';
import { errorFields } from '../../log/logger.js';
import type { ActiveStreams } from '../http/active-streams.js';
import { toChatEvent } from '../http/chat-events.js';
import { endpointRoute } from '../http/endpoint-route.js';
import { ownerOf } from '../http/access.js';
import { clientText } from '../http/client-text.js';
import { isDatabaseUnavailable } from '../http/database-errors.js';
import { SseWriter } from '../http/sse.js';

export interface ChatRouteOptions {
  chat: ChatService;
  /** The deployment's MAX_MESSAGE_CHARS (the contract's ceiling is higher). */
  maxMessageChars: number;
  active: ActiveStreams;
}

/** Warnings and errors may quote an SDK message; it must not carry ARNs or account ids. */
function forClient(event: ChatEvent): ChatEvent {
  if (event.event === 'warning') return { ...event, data: { ...event.data, message: clientText(event.data.message) } };
  if (event.event === 'error') return { ...event, data: { ...event.data, message: clientText(event.data.message) } };
  return event;
}

/** The error event that ends a stream which broke after it started (the status line was already sent). */
function streamFailure(error: unknown): ChatEvent {
  if (isDatabaseUnavailable(error))
    return {
      event: 'error',
      data: {
        code: 'database_unavailable',
        message: 'The answer stopped because the database is not reachable; please try again shortly.',
      },
    };
  return {
    event: 'error',
    data: { code: 'internal_error', message: 'The answer stopped because of an internal error; it has been logged.' },
  };
}

/** POST /api/chat: one answer as server-sent events (src/contract/chat.ts). Errors before the first event are JSON. */
export const chatRoutes: FastifyPluginAsyncZod<ChatRouteOptions> = async (api, { chat, maxMessageChars, active }) => {
  api.route({
    ...endpointRoute(ENDPOINTS.chat),
    handler: async (request, reply) => {
      const body = request.body;
      if ([...body.message].length > maxMessageChars)
        throw new AppError('message_too_long', 413, `The message is longer than ${maxMessageChars} characters.`);

      const controller = new AbortController();
      active.controllers.add(controller);
      let sse: SseWriter | undefined;
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      try {
        await chat.answer({ ...body, userId: ownerOf(request), signal: controller.signal }, (answerEvent) => {
          if (!sse) {
            reply.hijack();
            sse = new SseWriter(reply.raw);
          }
          const event = toChatEvent(answerEvent);
          // For operators, with the request and user id: what went wrong in this answer.
          if (event.event === 'error') request.log.warn({ event: event.event, ...event.data }, 'answer error');
          else if (event.event === 'warning')
            request.log[WARNING_SEVERITY[event.data.code]]({ event: event.event, ...event.data }, 'answer warning');
          sse.send(forClient(event));
        });
      } catch (error) {
        if (!sse) throw error;
        request.log.error(errorFields(error), 'chat stream failed');
        sse.send(streamFailure(error));
      } finally {
        active.controllers.delete(controller);
        sse?.end();
      }
      return reply;
    },
  });
};
