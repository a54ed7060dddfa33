import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsNamed } from '../../src/contract/sse.js';
import { postChat, type TimedEvent } from '../../bench/sse-client.js';
import { postJson, startApp, type AppServer } from '../helpers/app-server.js';

let server: AppServer;
beforeAll(async () => {
  server = await startApp();
});
afterAll(async () => server?.close());

const names = (events: TimedEvent[]) => events.map((e) => e.event);
const text = (events: TimedEvent[], lane: string, part: string) =>
  eventsNamed(events, 'delta')
    .filter((e) => e.data.lane === lane && e.data.part === part)
    .map((e) => e.data.text)
    .join('');

describe('POST /api/chat (offline provider, sample knowledge base, real port)', () => {
  it('answers a Korean question: meta, references, overview deltas, then detail, then done', async () => {
    const events = await postChat(server.url, { message: '환불은 며칠 안에 신청할 수 있나요?', uiLanguage: 'ko' });
    const order = names(events);
    expect(order[0]).toBe('meta');
    expect(order[1]).toBe('references');
    expect(order.at(-1)).toBe('done');
    const meta = events[0]?.data as { lanes: { lane: string; role: string }[]; detectedLanguage: string };
    expect(meta.detectedLanguage).toBe('ko');
    expect(meta.lanes).toEqual([{ lane: 'ko', role: 'customer' }]);
    const refs = (events[1]?.data as { documents: { title: string; uri: string }[] }).documents;
    expect(refs[0]?.title).toBe('환불 및 결제 정책');
    const parts = events.filter((e) => e.event === 'delta' || e.event === 'part_end').map((e) => `${e.event}:${String(e.data.part)}`);
    const firstDetail = parts.indexOf('delta:detail');
    expect(parts.indexOf('part_end:overview')).toBeLessThan(firstDetail);
    expect(parts.slice(0, parts.indexOf('part_end:overview')).every((p) => p === 'delta:overview')).toBe(true);
    expect(text(events, 'ko', 'overview')).toContain('7일');
    expect(text(events, 'ko', 'overview')).toContain('발췌');
    expect(text(events, 'ko', 'detail')).toContain('###');
    expect(events.at(-1)?.data).toMatchObject({ status: 'complete', costUsd: 0 });
  });

  it('honours Connection: close on the stream (keep-alive only for clients that keep the connection)', async () => {
    const { port } = new URL(server.url);
    const body = JSON.stringify({ message: '환불은 며칠 안에 신청할 수 있나요?', uiLanguage: 'ko' });
    const raw = await new Promise<string>((resolve, reject) => {
      let received = '';
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
      socket.on('end', () => resolve(received));
      socket.on('error', reject);
    });
    const head = raw.slice(0, raw.indexOf('\r\n\r\n')).toLowerCase();
    expect(head).toMatch(/^http\/1\.1 200/);
    expect(head).toContain('content-type: text/event-stream');
    expect(head).toContain('connection: close');
    expect(head).not.toContain('keep-alive');
    expect(raw).toContain('event: done');
  });

  it('answers an English question in a staff (ko) lane and a customer (en) lane', async () => {
    const events = await postChat(server.url, { message: 'How do I recover my account?', uiLanguage: 'en' });
    const meta = events[0]?.data as { lanes: unknown; detectedLanguage: string };
    expect(meta.detectedLanguage).toBe('en');
    expect(meta.lanes).toEqual([
      { lane: 'ko', role: 'staff' },
      { lane: 'en', role: 'customer' },
    ]);
    expect(text(events, 'en', 'overview')).toMatch(/extracted/i);
    expect(text(events, 'en', 'detail').length).toBeGreaterThan(0);
    expect(events.filter((e) => e.event === 'part_end')).toHaveLength(4);
  });

  it('stores the conversation: list, read back with lanes and references, continue, delete', async () => {
    const first = await postChat(server.url, { message: '점검 시간은 언제인가요?', uiLanguage: 'ko' });
    const { conversationId, messageId } = first[0]?.data as { conversationId: string; messageId: string };
    await postChat(server.url, { conversationId, message: '점검 보상도 있나요?', uiLanguage: 'ko' });

    const list = (await (await fetch(`${server.url}/api/conversations`)).json()) as { conversations: { id: string; title: string }[] };
    expect(list.conversations.find((c) => c.id === conversationId)?.title).toBe('점검 시간은 언제인가요?');

    const read = (await (await fetch(`${server.url}/api/conversations/${conversationId}`)).json()) as {
      messages: {
        id: string;
        role: string;
        status: string;
        content: string;
        lanes: { parts: { detail: { text: string } } }[] | null;
        references: unknown[] | null;
      }[];
    };
    expect(read.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    const answer = read.messages[1];
    expect(answer?.id).toBe(messageId);
    expect(answer?.status).toBe('complete');
    expect(answer?.content).toContain(text(first, 'ko', 'detail').trim().slice(0, 20));
    expect(answer?.references?.length).toBeGreaterThan(0);

    const del = await fetch(`${server.url}/api/conversations/${conversationId}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await fetch(`${server.url}/api/conversations/${conversationId}`)).status).toBe(404);
  });

  it('records feedback and lists poorly rated answers with their question', async () => {
    const events = await postChat(server.url, { message: '게임이 자꾸 튕겨요', uiLanguage: 'ko' });
    const { messageId } = events[0]?.data as { messageId: string };
    const saved = await postJson(`${server.url}/api/messages/${messageId}/feedback`, { rating: 'down', comment: '너무 길어요' });
    expect(saved.status).toBe(201);
    const list = (await (await fetch(`${server.url}/api/feedback?rating=down`)).json()) as {
      items: { messageId: string; question: string }[];
    };
    expect(list.items.find((i) => i.messageId === messageId)?.question).toBe('게임이 자꾸 튕겨요');
    expect((await postJson(`${server.url}/api/messages/${messageId}/feedback`, { rating: 'meh' })).status).toBe(400);
  });

  it.each([
    ['empty message', { message: '   ', uiLanguage: 'ko' }, 400, 'message_empty'],
    ['message over 4,000 characters', { message: '가'.repeat(4001), uiLanguage: 'ko' }, 413, 'message_too_long'],
    ['wrong UI language', { message: 'hi', uiLanguage: 'fr' }, 400, 'invalid_language'],
    ['wrong answer language', { message: 'hi', uiLanguage: 'en', answerLanguage: 'de' }, 400, 'invalid_language'],
    [
      'unknown conversation',
      { message: 'hi', uiLanguage: 'en', conversationId: '00000000-0000-4000-8000-000000000000' },
      404,
      'conversation_not_found',
    ],
    ['control characters', { message: 'hi\u0000there', uiLanguage: 'en' }, 400, 'invalid_text'],
    ['lone surrogate', { message: 'hi \ud800 there', uiLanguage: 'en' }, 400, 'invalid_text'],
    ['unknown field', { message: 'hi', uiLanguage: 'en', admin: true }, 400, 'invalid_request'],
  ])('rejects %s with a JSON error', async (_name, body, status, code) => {
    const response = await postJson(`${server.url}/api/chat`, body);
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({ error: { code } });
    expect(response.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('rejects malformed JSON and oversize bodies without a stack trace', async () => {
    const malformed = await postJson(`${server.url}/api/chat`, '{"message": "hi",');
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ error: { code: 'invalid_json' } });
    const huge = await postJson(`${server.url}/api/chat`, { message: 'x'.repeat(200_000), uiLanguage: 'en' });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('serves health, readiness, status and examples', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const status = (await (await fetch(`${server.url}/api/status`)).json()) as {
      mode: string;
      knowledgeBase: { source: string; documents: number };
      features: { translation: { available: boolean } };
    };
    expect(status.mode).toBe('offline');
    expect(status.knowledgeBase.source).toBe('local');
    expect(status.knowledgeBase.documents).toBeGreaterThanOrEqual(12);
    expect(status.features.translation.available).toBe(false);
    const examples = (await (await fetch(`${server.url}/api/examples?lang=en`)).json()) as { questions: string[] };
    expect(examples.questions.length).toBeGreaterThanOrEqual(4);
    expect(examples.questions.length).toBeLessThanOrEqual(6);
    expect((await fetch(`${server.url}/api/nope`)).status).toBe(404);
  });
});
