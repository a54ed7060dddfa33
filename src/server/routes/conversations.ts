import type { FastifyInstance } from 'fastify';
import type { ServerDependencies } from '../app.js';
import { sendError } from '../errors.js';
import { feedbackBodySchema, feedbackQuerySchema, idParamsSchema } from '../validation.js';

const NOT_FOUND = 'No conversation with that id.';

export function registerConversationRoutes(api: FastifyInstance, deps: ServerDependencies): void {
  const { conversations, feedback } = deps;

  api.get('/conversations', async () => ({ conversations: (await conversations.list(undefined)).map(({ userId: _owner, ...view }) => view) }));

  api.get('/conversations/:id', async (request, reply) => {
    const params = idParamsSchema.safeParse(request.params);
    if (!params.success) return sendError(reply, 404, 'conversation_not_found', NOT_FOUND);
    const conversation = await conversations.find(params.data.id);
    if (!conversation) return sendError(reply, 404, 'conversation_not_found', NOT_FOUND);
    const messages = await conversations.messages(conversation.id);
    const ratings = await feedback.forMessages(messages.filter((m) => m.role === 'assistant').map((m) => m.id));
    const { userId: _owner, ...view } = conversation;
    return {
      conversation: view,
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
    if (!params.success || !(await conversations.delete(params.data.id))) return sendError(reply, 404, 'conversation_not_found', NOT_FOUND);
    return reply.code(204).send();
  });

  api.post('/messages/:id/feedback', async (request, reply) => {
    const params = idParamsSchema.safeParse(request.params);
    const message = params.success ? await conversations.findMessage(params.data.id) : undefined;
    if (!message || message.role !== 'assistant') return sendError(reply, 404, 'not_found', 'No answer with that id.');
    const body = feedbackBodySchema.safeParse(request.body);
    if (!body.success) return sendError(reply, 400, 'invalid_request', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const comment = body.data.comment?.trim() || null;
    const saved = await feedback.record({ messageId: message.id, userId: null, rating: body.data.rating, comment });
    return reply.code(201).send({ feedback: saved });
  });

  api.get('/feedback', async (request, reply) => {
    const query = feedbackQuerySchema.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_request', 'rating must be "up" or "down".');
    return { items: await feedback.list(query.data.rating) };
  });
}
