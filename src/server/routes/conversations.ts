import type { FastifyInstance } from 'fastify';
import type { ServerDependencies } from '../app.js';
import { sendError } from '../errors.js';
import { ownerOf, requireAdmin } from '../plugins/access.js';
import { feedbackBodySchema, feedbackQuerySchema, idParamsSchema } from '../validation.js';

const NOT_FOUND = 'No conversation with that id.';

export function registerConversationRoutes(api: FastifyInstance, deps: ServerDependencies): void {
  const { conversations, feedback } = deps;

  // Every read and write below is filtered by the caller's user id (admins included): someone
  // else's conversation, message or answer is a 404, exactly like one that does not exist.
  api.get('/conversations', async (request) => ({
    conversations: (await conversations.list(ownerOf(request))).map(({ userId: _owner, ...view }) => view),
  }));

  api.get('/conversations/:id', async (request, reply) => {
    const params = idParamsSchema.safeParse(request.params);
    if (!params.success) return sendError(reply, 404, 'conversation_not_found', NOT_FOUND);
    const conversation = await conversations.find(params.data.id, ownerOf(request));
    if (!conversation) return sendError(reply, 404, 'conversation_not_found', NOT_FOUND);
    const messages = await conversations.messages(conversation.id);
    const ratings = await feedback.forMessages(messages.filter((m) => m.role === 'assistant').map((m) => m.id));
    const { userId: _owner, ...view } = conversation;
    // Every model call of the conversation (translations included), from the usage ledger.
    const totals = deps.usage ? await deps.usage.conversationTotals(conversation.id) : undefined;
    return {
      conversation: view,
      ...(totals
        ? {
            usage: {
              inputTokens: totals.inputTokens,
              outputTokens: totals.outputTokens,
              cacheReadInputTokens: totals.cacheReadInputTokens,
              cacheWriteInputTokens: totals.cacheWriteInputTokens,
              costUsd: totals.costUsd,
              calls: totals.calls,
            },
          }
        : {}),
      messages: messages.map((m) => {
        const rating = ratings.get(m.id);
        return {
          id: m.id,
          role: m.role,
          content: m.content,
          status: m.status,
          language: m.language,
          translatedQuestion: m.translatedQuestion,
          createdAt: m.createdAt,
          lanes: m.lanes,
          references: m.references,
          feedback: rating ? { rating: rating.rating, comment: rating.comment, createdAt: rating.createdAt } : null,
        };
      }),
    };
  });

  api.delete('/conversations/:id', async (request, reply) => {
    const params = idParamsSchema.safeParse(request.params);
    if (!params.success || !(await conversations.delete(params.data.id, ownerOf(request))))
      return sendError(reply, 404, 'conversation_not_found', NOT_FOUND);
    return reply.code(204).send();
  });

  api.post('/messages/:id/feedback', async (request, reply) => {
    const params = idParamsSchema.safeParse(request.params);
    const found = params.success ? await conversations.findMessage(params.data.id) : undefined;
    const owned = found && (await conversations.find(found.conversationId, ownerOf(request)));
    const message = owned ? found : undefined;
    if (!message || message.role !== 'assistant') return sendError(reply, 404, 'not_found', 'No answer with that id.');
    const body = feedbackBodySchema.safeParse(request.body);
    if (!body.success)
      return sendError(
        reply,
        400,
        'invalid_request',
        body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      );
    const comment = body.data.comment?.trim() || null;
    const saved = await feedback.record({ messageId: message.id, userId: ownerOf(request), rating: body.data.rating, comment });
    return reply.code(201).send({ feedback: saved });
  });

  // The team lead's review list spans everyone's answers: admins only.
  api.get('/feedback', { preHandler: requireAdmin }, async (request, reply) => {
    const query = feedbackQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_request', 'rating must be "up" or "down".');
    return { items: await feedback.list(query.data.rating) };
  });
}
