import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { TokenNameError, type TokenRepository } from '../../store/tokens.js';
import { sendError } from '../errors.js';
import { principalOf, requireAdmin } from './access.js';

const createBody = z.object({ name: z.string(), role: z.enum(['agent', 'admin']) }).strict();
const nameParams = z.object({ name: z.string().min(1).max(64) });

/**
 * Admin API for bearer tokens, the same operations as `dualnova tokens`:
 * GET /api/admin/tokens, POST /api/admin/tokens {name, role} (the token is in the answer, once),
 * DELETE /api/admin/tokens/:name (revoke). Secrets and hashes are never listed.
 */
export function installTokenAdmin(app: FastifyInstance, tokens: TokenRepository): void {
  app.get('/api/admin/tokens', { preHandler: requireAdmin }, async () => ({ tokens: await tokens.list() }));

  app.post('/api/admin/tokens', { preHandler: requireAdmin }, async (request, reply) => {
    const body = createBody.safeParse(request.body);
    if (!body.success) return sendError(reply, 400, 'invalid_request', 'Send {"name": "...", "role": "agent" | "admin"}.');
    try {
      const created = await tokens.create({ ...body.data, createdBy: principalOf(request).displayName });
      request.log.info({ tokenName: created.info.name, tokenRole: created.info.role }, 'API token created');
      return reply.code(201).header('cache-control', 'no-store').send({ token: created.token, info: created.info });
    } catch (error) {
      if (error instanceof TokenNameError) return sendError(reply, 400, 'invalid_token_name', error.message);
      throw error;
    }
  });

  app.delete('/api/admin/tokens/:name', { preHandler: requireAdmin }, async (request, reply) => {
    const params = nameParams.safeParse(request.params);
    if (!params.success || !(await tokens.revoke(params.data.name)))
      return sendError(reply, 404, 'not_found', 'No live token with that name.');
    request.log.info({ tokenName: params.data.name }, 'API token revoked');
    return reply.code(204).send();
  });
}
