import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../chat/errors.js';
import { BudgetExhaustedError } from '../../usage/budgets.js';
import { LANGUAGES } from '../../lang/languages.js';
import { errorFields } from '../../log/logger.js';
import { TranslationError } from '../../translate/model-translation.js';
import { TRANSLATE_MAX_CHARS } from '../../translate/translator.js';
import type { ServerDependencies } from '../app.js';
import { sendError } from '../errors.js';
import { ownerOf } from '../plugins/access.js';
import { clientText } from '../plugins/client-text.js';
import { messageProblem } from '../validation.js';

const translateBodySchema = z
  .object({
    text: z.string(),
    target: z.enum(['auto', ...LANGUAGES]).default('auto'),
    source: z.enum(['auto', ...LANGUAGES]).default('auto'),
  })
  .strict();

const UNAVAILABLE = 'Translation needs a model, and none is configured (offline mode). Set MODEL_PROVIDER=bedrock or openai.';

/** POST /api/translate: glossary-aware translation of free text with the fast model. */
export function registerTranslateRoutes(api: FastifyInstance, deps: ServerDependencies): void {
  api.post('/translate', async (request, reply) => {
    const parsed = translateBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      const code = field === 'target' || field === 'source' ? 'invalid_language' : 'invalid_request';
      const message =
        code === 'invalid_language' ? `${field} must be one of auto, ${LANGUAGES.join(', ')}` : `${field}: ${issue?.message ?? 'invalid'}`;
      return sendError(reply, 400, code, message);
    }
    const body = parsed.data;
    const problem = messageProblem(body.text, TRANSLATE_MAX_CHARS);
    if (problem) {
      const text =
        problem.code === 'message_too_long'
          ? `The text is longer than ${TRANSLATE_MAX_CHARS} characters; split it into shorter parts.`
          : problem.text.replace('The message', 'The text');
      return sendError(reply, problem.status, problem.code, text);
    }
    const translator = deps.translator;
    if (!translator || !translator.available) {
      return sendError(reply, 503, 'translation_unavailable', translator?.unavailableReason ?? UNAVAILABLE);
    }

    // A client that leaves stops the model call: nobody pays for a translation nobody reads.
    const controller = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    try {
      return await translator.translate({
        text: body.text,
        target: body.target,
        source: body.source,
        userId: ownerOf(request),
        signal: controller.signal,
      });
    } catch (error) {
      if (error instanceof BudgetExhaustedError) reply.header('retry-after', String(error.retryAfterSeconds));
      if (error instanceof AppError) return sendError(reply, error.statusCode, error.code, error.message);
      if (error instanceof TranslationError) {
        if (error.code === 'cancelled') return reply;
        request.log.warn({ ...errorFields(error), reason: error.reason }, 'translation failed');
        if (error.retryable) reply.header('retry-after', '5');
        // Model errors may quote an SDK message; it must not carry ARNs or account ids.
        return sendError(reply, error.statusCode, error.code, clientText(error.message));
      }
      throw error;
    }
  });
}
