import type { FastifyInstance } from 'fastify';
import { AppError } from '../../chat/errors.js';
import { BudgetExhaustedError } from '../../usage/budgets.js';
import { errorFields } from '../../log/logger.js';
import type { ActiveStreams, ServerDependencies } from '../app.js';
import { sendError } from '../errors.js';
import { ownerOf } from '../plugins/access.js';
import { clientText } from '../plugins/client-text.js';
import { isDatabaseUnavailable } from '../plugins/database-errors.js';
import { SseWriter } from '../sse.js';
import { chatBodySchema, messageProblem } from '../validation.js';

export function registerChatRoutes(api: FastifyInstance, deps: ServerDependencies, active: ActiveStreams): void {
  api.post('/chat', async (request, reply) => {
    const parsed = chatBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? 'body';
      const code = field === 'uiLanguage' || field === 'answerLanguage' ? 'invalid_language' : 'invalid_request';
      return sendError(reply, 400, code, `${field}: ${issue?.message ?? 'invalid'}`);
    }
    const body = parsed.data;
    const problem = messageProblem(body.message, deps.maxMessageChars);
    if (problem) return sendError(reply, problem.status, problem.code, problem.text);

    const controller = new AbortController();
    active.controllers.add(controller);
    let sse: SseWriter | undefined;
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    try {
      await deps.chat.answer(
        {
          conversationId: body.conversationId,
          message: body.message,
          uiLanguage: body.uiLanguage,
          answerLanguage: body.answerLanguage,
          userId: ownerOf(request),
          signal: controller.signal,
        },
        (event) => {
          if (!sse) {
            reply.hijack();
            sse = new SseWriter(reply.raw);
          }
          // For operators, with the request and user id: what went wrong in this answer.
          if (event.event === 'warning' || event.event === 'error') {
            const serious = event.event === 'error' || event.data.code === 'part_failed' || event.data.code.startsWith('retrieval');
            request.log[serious ? 'warn' : 'info']({ event: event.event, ...event.data }, 'answer warning');
          }
          // Warnings and errors may quote an SDK message; it must not carry ARNs or account ids.
          if ((event.event === 'warning' || event.event === 'error') && typeof event.data.message === 'string') {
            sse.send({ ...event, data: { ...event.data, message: clientText(event.data.message) } } as typeof event);
          } else sse.send(event);
        },
      );
    } catch (error) {
      if (!sse) {
        if (error instanceof BudgetExhaustedError) reply.header('retry-after', String(error.retryAfterSeconds));
        if (error instanceof AppError) return sendError(reply, error.statusCode, error.code, error.message);
        throw error;
      }
      request.log.error(errorFields(error), 'chat stream failed');
      if (isDatabaseUnavailable(error))
        sse.send({
          event: 'error',
          data: {
            code: 'database_unavailable',
            message: 'The answer stopped because the database is not reachable; please try again shortly.',
          },
        });
      else
        sse.send({
          event: 'error',
          data: { code: 'internal_error', message: 'The answer stopped because of an internal error; it has been logged.' },
        });
    } finally {
      active.controllers.delete(controller);
      sse?.end();
    }
    return reply;
  });
}
