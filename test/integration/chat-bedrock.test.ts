import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventsNamed } from '../../src/contract/sse.js';
import { postChat } from '../../bench/sse-client.js';
import { startFakeBedrockRuntime, type FakeBedrockRuntime } from '../fakes/bedrock-runtime.js';
import { startApp, type AppServer } from '../helpers/app-server.js';

let fake: FakeBedrockRuntime;
let server: AppServer;

beforeAll(async () => {
  fake = await startFakeBedrockRuntime();
  // Standard AWS configuration only: the app sets no endpoint of its own.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
  });
  server = await startApp({ MODEL_PROVIDER: 'bedrock' });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.script(undefined);
  fake.reset();
});

async function storedAnswer(conversationId: string) {
  const read = (await (await fetch(`${server.url}/api/conversations/${conversationId}`)).json()) as {
    messages: { role: string; status: string; content: string; lanes: { parts: Record<string, { text: string; status: string }> }[] }[];
  };
  return read.messages.find((m) => m.role === 'assistant');
}

describe('chat through the real BedrockRuntimeClient against a wire-level fake', () => {
  it('streams both Nova models, sends the cache point, records usage and cost', async () => {
    const events = await postChat(server.url, { message: '환불은 며칠 안에 되나요?', uiLanguage: 'ko' });
    expect(fake.requests.map((r) => r.modelId).sort()).toEqual(['us.amazon.nova-micro-v1:0', 'us.amazon.nova-pro-v1:0']);
    for (const request of fake.requests) {
      const system = request.body.system ?? [];
      expect(system[0]?.text).toContain('You are dualnova');
      expect(system[1]).toEqual({ cachePoint: { type: 'default' } });
      expect(system[2]?.text).toContain('<documents>');
    }
    const micro = fake.requests.find((r) => r.modelId.includes('micro'));
    expect(micro?.body.inferenceConfig).toMatchObject({ maxTokens: 1024, temperature: 0.3 });
    const overview = eventsNamed(events, 'delta')
      .filter((e) => e.data.part === 'overview')
      .map((e) => e.data.text)
      .join('');
    expect(overview).toBe('Answer for us.amazon.nova-micro-v1:0: this is a deterministic answer from the fake Bedrock runtime.');
    const ends = events.filter((e) => e.event === 'part_end');
    expect(ends.map((e) => e.data.part)).toEqual(['overview', 'detail']);
    for (const end of ends) {
      expect((end.data.usage as { inputTokens: number }).inputTokens).toBeGreaterThan(0);
      expect(end.data.costUsd).toBeGreaterThan(0);
    }
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
    const rows = await server.runtime.store.db.selectFrom('usage').selectAll().execute();
    expect(rows.map((r) => r.purpose).sort()).toEqual(['detail', 'overview']);
    expect(rows.every((r) => r.cost_usd !== null && r.cost_usd > 0 && r.estimated === 0)).toBe(true);
  });

  it('stores a detail stream cut mid-answer as partial, with what arrived and a warning', async () => {
    fake.script((r) =>
      r.modelId.includes('pro')
        ? { chunks: ['### Steps\n', 'first ', 'second ', 'third'], fault: 'cut-mid-stream', faultAfterChunks: 2 }
        : undefined,
    );
    const events = await postChat(server.url, { message: '계정 복구 방법', uiLanguage: 'ko' });
    const warning = events.find((e) => e.event === 'warning');
    expect(warning?.data).toMatchObject({ code: 'part_failed', lane: 'ko', part: 'detail' });
    const detailEnd = eventsNamed(events, 'part_end').find((e) => e.data.part === 'detail');
    expect(detailEnd?.data.status).toBe('partial');
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'partial' } });
    const { conversationId } = events[0]?.data as { conversationId: string };
    const answer = await storedAnswer(conversationId);
    expect(answer?.status).toBe('partial');
    expect(answer?.lanes[0]?.parts.detail).toMatchObject({ text: '### Steps\nfirst ', status: 'partial' });
    expect(answer?.lanes[0]?.parts.overview?.status).toBe('complete');
  });

  it('keeps the detail when the overview model is denied, and says what permission is missing', async () => {
    fake.script((r) => (r.modelId.includes('micro') ? { fault: 'access-denied' } : undefined));
    const events = await postChat(server.url, { message: 'How do refunds work?', uiLanguage: 'en' });
    // The question translation runs on the same (denied) fast model: it fails too, with its own warning.
    expect(events.filter((e) => e.event === 'warning' && e.data.code === 'translation_failed')).toHaveLength(1);
    const warnings = eventsNamed(events, 'warning').filter((e) => e.data.code === 'part_failed');
    expect(warnings.length).toBe(2);
    expect(String(warnings[0]?.data.message)).toContain('bedrock:InvokeModelWithResponseStream');
    const detail = events.filter((e) => e.event === 'delta' && e.data.part === 'detail' && e.data.lane === 'en');
    expect(detail.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'partial' } });
  });

  it('aborts every upstream stream when the client disconnects, and stores the answer as partial', async () => {
    fake.script((r) => ({ chunks: [`start ${r.modelId} `, 'more ', 'more ', 'more '], fault: 'stall', faultAfterChunks: 1 }));
    const controller = new AbortController();
    const chat = postChat(server.url, { message: '점검 시간 알려주세요', uiLanguage: 'ko' }, controller.signal).catch(() => []);
    while (fake.requests.length < 2 || fake.activeExchanges() < 2) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await chat;
    const outcomes = await Promise.all(fake.requests.map((r) => r.outcome));
    expect(outcomes).toEqual(['client-closed', 'client-closed']);
    const list = (await (await fetch(`${server.url}/api/conversations`)).json()) as { conversations: { id: string; title: string }[] };
    const conversation = list.conversations.find((c) => c.title === '점검 시간 알려주세요');
    let answer = conversation && (await storedAnswer(conversation.id));
    for (let i = 0; i < 50 && answer?.status === 'streaming'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      answer = conversation && (await storedAnswer(conversation.id));
    }
    expect(answer?.status).toBe('partial');
    expect(answer?.lanes[0]?.parts.overview?.text).toBe('start us.amazon.nova-micro-v1:0 ');
  });
});
