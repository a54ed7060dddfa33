import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../../src/contract/sse.js';
import { call, chat, startSecuredApp, type SecuredApp } from '../helpers/security-app.js';

/**
 * Two agents (alice, bob) and an admin, token mode. Someone else's conversation, message or answer
 * is a 404 — for admins too — exactly like one that does not exist.
 */
describe('ownership matrix: two users and an admin', () => {
  let app: SecuredApp;
  const tokens: Record<'alice' | 'bob' | 'admin', string> = { alice: '', bob: '', admin: '' };
  const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });
  let aliceConversation: string;
  let aliceAnswer: string;

  beforeAll(async () => {
    app = await startSecuredApp({ AUTH_MODE: 'token', RATE_LIMIT_PER_MINUTE: '1000' });
    tokens.alice = (await app.tokens.create({ name: 'alice', role: 'agent' })).token;
    tokens.bob = (await app.tokens.create({ name: 'bob', role: 'agent' })).token;
    tokens.admin = (await app.tokens.create({ name: 'lead', role: 'admin' })).token;
    const first = await chat(app.url, { message: '환불은 며칠 안에 되나요?', uiLanguage: 'ko' }, as('alice'));
    expect(first.status).toBe(200);
    aliceConversation = dataOf(first.events, 'meta')!.conversationId;
    aliceAnswer = dataOf(first.events, 'meta')!.messageId;
  });
  afterAll(async () => app?.close());

  const messageCount = async () => (await app.runtime.conversations.messages(aliceConversation)).length;

  it.each(['bob', 'admin'] as const)("%s cannot list, read, delete, rate or continue alice's conversation (404)", async (who) => {
    const before = await messageCount();
    const list = await call(`${app.url}/api/conversations`, { headers: as(who) });
    expect(list.status).toBe(200);
    expect(list.json.conversations.map((c: { id: string }) => c.id)).not.toContain(aliceConversation);

    const read = await call(`${app.url}/api/conversations/${aliceConversation}`, { headers: as(who) });
    expect(read.status).toBe(404);
    expect(read.json).toMatchObject({ error: { code: 'conversation_not_found' } });
    // Indistinguishable from an id that never existed.
    const unknown = await call(`${app.url}/api/conversations/00000000-0000-4000-8000-000000000000`, { headers: as(who) });
    expect(read.text).toBe(unknown.text);

    const rate = await call(`${app.url}/api/messages/${aliceAnswer}/feedback`, {
      method: 'POST',
      headers: as(who),
      json: { rating: 'down' },
    });
    expect(rate.status).toBe(404);

    const cont = await chat(app.url, { conversationId: aliceConversation, message: 'and exchanges?', uiLanguage: 'en' }, as(who));
    expect(cont.status).toBe(404);
    expect(cont.json).toMatchObject({ error: { code: 'conversation_not_found' } });

    const del = await call(`${app.url}/api/conversations/${aliceConversation}`, { method: 'DELETE', headers: as(who) });
    expect(del.status).toBe(404);
    expect(await messageCount()).toBe(before);
  });

  it('alice can list, read, rate and continue her own conversation', async () => {
    const list = await call(`${app.url}/api/conversations`, { headers: as('alice') });
    expect(list.json.conversations.map((c: { id: string }) => c.id)).toContain(aliceConversation);
    expect((await call(`${app.url}/api/conversations/${aliceConversation}`, { headers: as('alice') })).status).toBe(200);
    expect(
      (
        await call(`${app.url}/api/messages/${aliceAnswer}/feedback`, {
          method: 'POST',
          headers: as('alice'),
          json: { rating: 'down', comment: 'too long' },
        })
      ).status,
    ).toBe(201);
    const cont = await chat(app.url, { conversationId: aliceConversation, message: '교환도 되나요?', uiLanguage: 'ko' }, as('alice'));
    expect(cont.status).toBe(200);
    expect(await messageCount()).toBe(4);
  });

  it('the feedback review list is for admins only, and spans everyone', async () => {
    expect((await call(`${app.url}/api/feedback?rating=down`, { headers: as('alice') })).status).toBe(403);
    expect((await call(`${app.url}/api/feedback?rating=down`, { headers: as('bob') })).json).toMatchObject({
      error: { code: 'forbidden' },
    });
    const review = await call(`${app.url}/api/feedback?rating=down`, { headers: as('admin') });
    expect(review.status).toBe(200);
    expect(review.json.items.map((i: { messageId: string }) => i.messageId)).toContain(aliceAnswer);
  });

  it('agents see dependency states but not their details; admins see everything', async () => {
    const agent = await call(`${app.url}/api/status`, { headers: as('bob') });
    expect(agent.status).toBe(200);
    expect(agent.json.dependencies.length).toBeGreaterThan(0);
    for (const dependency of agent.json.dependencies) {
      expect(dependency.detail).toBe('');
      expect(dependency.missingPermission).toBeUndefined();
      expect(typeof dependency.state).toBe('string');
    }
    expect(agent.json.features.chat.available).toBe(true);
    const admin = await call(`${app.url}/api/status`, { headers: as('admin') });
    expect(admin.json.dependencies.some((d: { detail: string }) => d.detail.length > 0)).toBe(true);
  });

  it("bob deleting his own conversation leaves alice's alone", async () => {
    const mine = await chat(app.url, { message: '계정 복구', uiLanguage: 'ko' }, as('bob'));
    const id = dataOf(mine.events, 'meta')?.conversationId as string;
    expect((await call(`${app.url}/api/conversations/${id}`, { headers: as('alice') })).status).toBe(404);
    expect((await call(`${app.url}/api/conversations/${id}`, { method: 'DELETE', headers: as('bob') })).status).toBe(204);
    expect((await call(`${app.url}/api/conversations/${aliceConversation}`, { headers: as('alice') })).status).toBe(200);
  });
});
