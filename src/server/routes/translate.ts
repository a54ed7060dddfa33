import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ENDPOINTS } from '../../contract/endpoints.js';
import { AppError } from '../../errors/app-error.js';
import type { Translator } from '../../translate/translator.js';
import { endpointRoute } from '../http/endpoint-route.js';
import { ownerOf } from '../http/access.js';

export interface TranslateRouteOptions {
  /** Absent or unavailable: 503 translation_unavailable. */
  translator?: Translator | undefined;
}

const UNAVAILABLE = 'Translation needs a model, and none is configured (offline mode). Set MODEL_PROVIDER=bedrock or openai.';

/** POST /api/translate: glossary-aware translation of free text with the fast model. */
export const translateRoutes: FastifyPluginAsyncZod<TranslateRouteOptions> = async (api, { translator }) => {
  api.route({
    ...endpointRoute(ENDPOINTS.translate),
    handler: async (request, reply) => {
      if (!translator || !translator.available) {
        throw new AppError('translation_unavailable', 503, translator?.unavailableReason ?? UNAVAILABLE);
      }
      // A client that leaves stops the model call: nobody pays for a translation nobody reads.
      const controller = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      return translator.translate({ ...request.body, userId: ownerOf(request), signal: controller.signal });
    },
  });
};
