import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ConversationDetail } from '../../contract/conversations.js';
import { ENDPOINTS } from '../../contract/endpoints.js';
import { AppError } from '../../errors/app-error.js';
import type { ConversationRepository } from '../../store/conversations.js';
import type { FeedbackRepository } from '../../store/feedback.js';
import type { UsageReporter } from '../../usage/service.js';
import { endpointRoute } from '../http/endpoint-route.js';
import { ownerOf } from '../http/access.js';

export interface ConversationRouteOptions {
  conversations: ConversationRepository;
  feedback: FeedbackRepository;
  usage?: UsageReporter | undefined;
}

const noConversation = () => new AppError('conversation_not_found', 404, 'No conversation with that id.');

/**
 * Conversations, their messages and answer ratings. Every read and write is filtered by the
 * caller's user id (admins included): someone else's conversation, message or answer is a 404,
 * exactly like one that does not exist.
 */
export const conversationRoutes: FastifyPluginAsyncZod<ConversationRouteOptions> = async (api, { conversations, feedback, usage }) => {
  api.route({
    ...endpointRoute(ENDPOINTS.conversations),
    handler: async (request) => ({
      conversations: (await conversations.list(ownerOf(request))).map(({ userId: _owner, ...view }) => view),
    }),
  });

  api.route({
    ...endpointRoute(ENDPOINTS.conversation),
    handler: async (request): Promise<ConversationDetail> => {
      const conversation = await conversations.find(request.params.id, ownerOf(request));
      if (!conversation) throw noConversation();
      const messages = await conversations.messages(conversation.id);
      const ratings = await feedback.forMessages(messages.filter((m) => m.role === 'assistant').map((m) => m.id));
      const { userId: _owner, ...view } = conversation;
      // Every model call of the conversation (translations included), from the usage ledger.
      const totals = usage ? await usage.conversationTotals(conversation.id) : undefined;
      return {
        conversation: view,
        ...(totals ? { usage: totals } : {}),
        messages: messages.map((m) => {
          const rating = ratings.get(m.id);
          return {
            ...m,
            feedback: rating ? { rating: rating.rating, comment: rating.comment, createdAt: rating.createdAt } : null,
          };
        }),
      };
    },
  });

  api.route({
    ...endpointRoute(ENDPOINTS.deleteConversation),
    handler: async (request, reply) => {
      if (!(await conversations.delete(request.params.id, ownerOf(request)))) throw noConversation();
      return reply.code(204).send(null);
    },
  });

  api.route({
    ...endpointRoute(ENDPOINTS.feedback),
    handler: async (request, reply) => {
      const found = await conversations.findMessage(request.params.id);
      const owned = found && (await conversations.find(found.conversationId, ownerOf(request)));
      if (!owned || found.role !== 'assistant') throw new AppError('not_found', 404, 'No answer with that id.');
      const comment = request.body.comment?.trim() || null;
      const saved = await feedback.record({ messageId: found.id, userId: ownerOf(request), rating: request.body.rating, comment });
      return reply.code(201).send({ feedback: saved });
    },
  });

  // The team lead's review list spans everyone's answers: admins only (the endpoint's access).
  api.route({
    ...endpointRoute(ENDPOINTS.feedbackList),
    handler: async (request) => ({ items: await feedback.list(request.query.rating) }),
  });
};
