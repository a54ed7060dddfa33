import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiCompatibleChatModel } from '../../src/models/openai.js';
import { ModelError, type ChatRequest, type ChatStreamEvent } from '../../src/models/types.js';
import { defaultOpenAiChunks, startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';

const MODEL = 'qwen2.5:7b';
let fake: FakeOpenAi;

function model(apiKey?: string): OpenAiCompatibleChatModel {
  return new OpenAiCompatibleChatModel({ baseUrl: `${fake.url}/v1/`, ...(apiKey ? { apiKey } : {}) });
}

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    modelId: MODEL,
    staticSystem: 'You are a support assistant.',
    dynamicSystem: 'Documents: refunds take 3-5 days.',
    messages: [{ role: 'user', text: 'How long does a refund take?' }],
    inference: { maxTokens: 256, temperature: 0.2 },
    signal: new AbortController().signal,
    ...overrides,
  };
}

interface Outcome {
  deltas: string[];
  end?: Extract<ChatStreamEvent, { type: 'end' }>;
  error?: ModelError;
}

async function run(stream: AsyncIterable<ChatStreamEvent>, onDelta?: () => void): Promise<Outcome> {
  const outcome: Outcome = { deltas: [] };
  try {
    for await (const event of stream) {
      if (event.type === 'delta') {
        outcome.deltas.push(event.text);
        onDelta?.();
      } else outcome.end = event;
    }
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    outcome.error = error;
  }
  return outcome;
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => {
  fake.script(undefined);
  fake.reset();
});
afterAll(async () => {
  await fake.close();
});

describe('OpenAiCompatibleChatModel against the fake server', () => {
  it('streams deltas in order and reads usage from the usage chunk', async () => {
    fake.script(() => ({ usage: { promptTokens: 120, completionTokens: 30, cachedTokens: 64 } }));
    const outcome = await run(model('sk-test').stream(request()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.deltas).toEqual(defaultOpenAiChunks(MODEL));
    expect(outcome.end?.usage).toEqual({ inputTokens: 120, outputTokens: 30, cacheReadInputTokens: 64, cacheWriteInputTokens: 0 });
    expect(outcome.end?.stopReason).toBe('end_turn');
    expect(typeof outcome.end?.latencyMs).toBe('number');
  });

  it('sends one system message, the turns, limits and stream options', async () => {
    await run(
      model('sk-test').stream(
        request({
          messages: [
            { role: 'user', text: 'q1' },
            { role: 'assistant', text: 'a1' },
            { role: 'user', text: 'q2' },
          ],
        }),
      ),
    );
    const sent = fake.requests[0];
    expect(sent?.path).toBe('/v1/chat/completions');
    expect(sent?.headers['authorization']).toBe('Bearer sk-test');
    expect(sent?.body).toEqual({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      messages: [
        { role: 'system', content: 'You are a support assistant.\n\nDocuments: refunds take 3-5 days.' },
        { role: 'user', content: 'q1' },
        { role: 'assistant', content: 'a1' },
        { role: 'user', content: 'q2' },
      ],
      max_tokens: 256,
      temperature: 0.2,
    });
  });

  it('reassembles Hangul split byte by byte across network reads, with CRLF line endings', async () => {
    const chunks = ['안녕하세요, ', '환불은 ', '영업일 기준 3~5일 ', '걸립니다. 🎮'];
    fake.script(() => ({ chunks, splitEveryBytes: 1, lineEnding: '\r\n' }));
    const outcome = await run(model().stream(request()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.deltas).toEqual(chunks);
    expect(outcome.end).toBeDefined();
    expect(fake.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('maps a truncated finish reason to max_tokens', async () => {
    fake.script(() => ({ finishReason: 'length' }));
    expect((await run(model().stream(request()))).end?.stopReason).toBe('max_tokens');
  });

  it.each([
    ['unauthorized', 'denied'],
    ['forbidden', 'denied'],
    ['rate-limited', 'throttled'],
    ['bad-request', 'invalid_request'],
    ['not-found', 'invalid_request'],
    ['server-error', 'unavailable'],
  ] as const)('maps HTTP fault %s to %s', async (fault, code) => {
    fake.script(() => ({ fault }));
    const outcome = await run(model().stream(request()));
    expect(outcome.deltas).toEqual([]);
    expect(outcome.error?.code).toBe(code);
    expect(outcome.error?.detail).toMatch(/^HTTP \d{3}: /);
  });

  it('yields the deltas before a cut, then fails with unavailable', async () => {
    fake.script(() => ({ chunks: ['a ', 'b ', 'c'], fault: 'cut-mid-stream', faultAfterChunks: 2 }));
    const outcome = await run(model().stream(request()));
    expect(outcome.deltas).toEqual(['a ', 'b ']);
    expect(outcome.error?.code).toBe('unavailable');
    expect(outcome.end).toBeUndefined();
  });

  it('fails with unavailable when the stream ends without finish_reason or [DONE]', async () => {
    fake.script(() => ({ chunks: ['a ', 'b'], fault: 'no-done', faultAfterChunks: 1 }));
    const outcome = await run(model().stream(request()));
    expect(outcome.deltas).toEqual(['a ']);
    expect(outcome.error?.code).toBe('unavailable');
    expect(outcome.error?.message).toBe('The model stream ended before the answer was complete');
  });

  it('reports an error event inside the stream', async () => {
    fake.script(() => ({ chunks: ['a ', 'b'], fault: 'error-event', faultAfterChunks: 1 }));
    const outcome = await run(model().stream(request()));
    expect(outcome.deltas).toEqual(['a ']);
    expect(outcome.error?.code).toBe('model_error');
    expect(outcome.error?.message).toContain('model crashed');
  });

  it('cancels on abort and closes the connection', async () => {
    fake.script(() => ({ chunks: ['a ', 'b ', 'c'], fault: 'stall', faultAfterChunks: 1 }));
    const controller = new AbortController();
    const outcome = await run(model().stream(request({ signal: controller.signal })), () => controller.abort());
    expect(outcome.deltas).toEqual(['a ']);
    expect(outcome.error?.code).toBe('cancelled');
    expect(await fake.requests[0]?.outcome).toBe('client-closed');
  });

  it('maps a refused connection to unavailable', async () => {
    const closed = await startFakeOpenAi();
    const url = closed.url;
    await closed.close();
    const outcome = await run(new OpenAiCompatibleChatModel({ baseUrl: url }).stream(request()));
    expect(outcome.error?.code).toBe('unavailable');
    expect(outcome.error?.detail).toContain('ECONNREFUSED');
  });
});

describe('OpenAiCompatibleChatModel SSE reassembly with a scripted body', () => {
  function bodyOf(pieces: Uint8Array[]): Response {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }

  it('handles every possible split point of a Hangul event stream', async () => {
    const sse =
      'data: {"choices":[{"delta":{"content":"환불"}}]}\r\n\r\n' +
      ': keep-alive comment\n\n' +
      'data: {"choices":[{"delta":{"content":"은 3일"}}]}\n\n' +
      'data: {"choices":[{"delta":{},"finish_reason":"stop"}]}\n\n' +
      'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}\n\n' +
      'data: [DONE]\n\n';
    const bytes = new TextEncoder().encode(sse);
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const fetchImpl: typeof fetch = async () => bodyOf([bytes.slice(0, cut), bytes.slice(cut)]);
      const outcome = await run(new OpenAiCompatibleChatModel({ baseUrl: 'http://unused', fetchImpl }).stream(request()));
      expect(outcome.deltas.join(''), `split at byte ${cut}`).toBe('환불은 3일');
      expect(outcome.end?.usage.inputTokens).toBe(5);
    }
  });
});
