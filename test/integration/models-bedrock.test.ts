import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BedrockChatModel } from '../../src/models/bedrock.js';
import { ModelError, type ChatRequest, type ChatStreamEvent } from '../../src/models/types.js';
import { defaultAnswerChunks, startFakeBedrockRuntime, type FakeBedrockRuntime } from '../fakes/bedrock-runtime.js';

const MODEL = 'us.amazon.nova-micro-v1:0';
const STATIC_SYSTEM = 'You are the support assistant of a game company. Answer from the documents only.';

let fake: FakeBedrockRuntime;
const clients: BedrockRuntimeClient[] = [];

function client(options: { maxAttempts?: number; http1?: boolean } = {}): BedrockRuntimeClient {
  const built = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.http1 ? { requestHandler: new NodeHttpHandler() } : {}),
  });
  clients.push(built);
  return built;
}

function request(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    modelId: MODEL,
    staticSystem: STATIC_SYSTEM,
    dynamicSystem: 'Documents: <doc>Refunds take 3-5 days.</doc>',
    messages: [{ role: 'user', text: 'How long does a refund take?' }],
    inference: { maxTokens: 512, temperature: 0.3 },
    signal: new AbortController().signal,
    ...overrides,
  };
}

interface Outcome {
  deltas: string[];
  end?: Extract<ChatStreamEvent, { type: 'end' }>;
  error?: ModelError;
}

async function run(stream: AsyncIterable<ChatStreamEvent>, onDelta?: (text: string) => void): Promise<Outcome> {
  const outcome: Outcome = { deltas: [] };
  try {
    for await (const event of stream) {
      if (event.type === 'delta') {
        outcome.deltas.push(event.text);
        onDelta?.(event.text);
      } else {
        expect(outcome.end).toBeUndefined();
        outcome.end = event;
      }
    }
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    outcome.error = error;
  }
  return outcome;
}

beforeAll(async () => {
  fake = await startFakeBedrockRuntime();
});

afterEach(() => {
  fake.script(undefined);
  fake.reset();
});

afterAll(async () => {
  for (const built of clients) built.destroy();
  await fake.close();
});

describe('BedrockChatModel against the wire-level fake (real SDK client, h2c)', () => {
  it('streams deltas in order and ends with usage, cache tokens and latency', async () => {
    const model = new BedrockChatModel(client());
    const first = await run(model.stream(request()));
    expect(first.error).toBeUndefined();
    expect(first.deltas).toEqual(defaultAnswerChunks(MODEL));
    expect(first.deltas.join('')).toBe(defaultAnswerChunks(MODEL).join(''));
    expect(first.end?.stopReason).toBe('end_turn');
    expect(first.end?.usage.inputTokens).toBeGreaterThan(0);
    expect(first.end?.usage.outputTokens).toBeGreaterThan(0);
    expect(first.end?.usage.cacheWriteInputTokens).toBe(Math.ceil(STATIC_SYSTEM.length / 4));
    expect(first.end?.usage.cacheReadInputTokens).toBe(0);
    expect(typeof first.end?.latencyMs).toBe('number');

    const second = await run(model.stream(request()));
    expect(second.end?.usage.cacheReadInputTokens).toBe(Math.ceil(STATIC_SYSTEM.length / 4));
    expect(second.end?.usage.cacheWriteInputTokens).toBe(0);
    expect(fake.requests[0]?.httpVersion).toBe('2.0');
  });

  it('sends the static system text, then a cache point, then the dynamic text, plus inferenceConfig', async () => {
    const model = new BedrockChatModel(client());
    await run(
      model.stream(
        request({
          messages: [
            { role: 'user', text: 'first question' },
            { role: 'assistant', text: 'first answer' },
            { role: 'user', text: 'second question' },
          ],
        }),
      ),
    );
    const sent = fake.requests[0];
    expect(sent?.operation).toBe('converse-stream');
    expect(sent?.modelId).toBe(MODEL);
    expect(sent?.path).toBe(`/model/${encodeURIComponent(MODEL)}/converse-stream`);
    expect(sent?.body.system).toEqual([
      { text: STATIC_SYSTEM },
      { cachePoint: { type: 'default' } },
      { text: 'Documents: <doc>Refunds take 3-5 days.</doc>' },
    ]);
    expect(sent?.body.messages).toEqual([
      { role: 'user', content: [{ text: 'first question' }] },
      { role: 'assistant', content: [{ text: 'first answer' }] },
      { role: 'user', content: [{ text: 'second question' }] },
    ]);
    expect(sent?.body.inferenceConfig).toEqual({ maxTokens: 512, temperature: 0.3 });
    expect(sent?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it('omits the dynamic block when there is none', async () => {
    await run(new BedrockChatModel(client()).stream(request({ dynamicSystem: undefined })));
    expect(fake.requests[0]?.body.system).toEqual([{ text: STATIC_SYSTEM }, { cachePoint: { type: 'default' } }]);
  });

  it('works over HTTP/1.1 too, when a test passes NodeHttpHandler', async () => {
    const outcome = await run(new BedrockChatModel(client({ http1: true })).stream(request()));
    expect(outcome.deltas.join('')).toBe(defaultAnswerChunks(MODEL).join(''));
    expect(outcome.end).toBeDefined();
    expect(fake.requests[0]?.httpVersion).toBe('1.1');
  });

  it('maps AccessDeniedException to denied, naming the IAM action and the model', async () => {
    fake.script(() => ({ fault: 'access-denied' }));
    const outcome = await run(new BedrockChatModel(client()).stream(request()));
    expect(outcome.deltas).toEqual([]);
    expect(outcome.error?.code).toBe('denied');
    expect(outcome.error?.message).toContain('bedrock:InvokeModelWithResponseStream');
    expect(outcome.error?.message).toContain(MODEL);
    expect(outcome.error?.detail).toMatch(/^AccessDeniedException: /);
  });

  it('maps throttling to throttled once the SDK has given up', async () => {
    fake.script(() => ({ fault: 'throttling' }));
    const outcome = await run(new BedrockChatModel(client({ maxAttempts: 1 })).stream(request()));
    expect(outcome.error?.code).toBe('throttled');
    expect(fake.requests).toHaveLength(1);
  });

  it('lets the SDK retry a throttled call that then succeeds', async () => {
    fake.script(() => (fake.requests.length === 1 ? { fault: 'throttling' } : undefined));
    const outcome = await run(new BedrockChatModel(client({ maxAttempts: 2 })).stream(request()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.end).toBeDefined();
    expect(fake.requests).toHaveLength(2);
  });

  it('maps a 500 to unavailable', async () => {
    fake.script(() => ({ fault: 'server-error' }));
    const outcome = await run(new BedrockChatModel(client()).stream(request()));
    expect(outcome.error?.code).toBe('unavailable');
    expect(outcome.error?.detail).toContain('InternalServerException');
  });

  it('maps ResourceNotFoundException to unavailable and a plain ValidationException to invalid_request', async () => {
    fake.script(() => ({ fault: 'not-found' }));
    expect((await run(new BedrockChatModel(client()).stream(request()))).error?.code).toBe('unavailable');
    fake.script(() => ({ fault: 'validation', errorMessage: 'A conversation must start with a user message.' }));
    const invalid = await run(new BedrockChatModel(client()).stream(request()));
    expect(invalid.error?.code).toBe('invalid_request');
    expect(invalid.error?.message).toContain('A conversation must start with a user message.');
  });

  it('turns the on-demand ValidationException into an inference-profile hint', async () => {
    const base = 'amazon.nova-pro-v1:0';
    fake.script(() => ({ fault: 'on-demand-unsupported' }));
    const outcome = await run(new BedrockChatModel(client()).stream(request({ modelId: base })));
    expect(outcome.error?.code).toBe('invalid_request');
    expect(outcome.error?.message).toContain('inference profile');
    expect(outcome.error?.message).toContain('us.amazon.nova-pro-v1:0');
    expect(outcome.error?.detail).toContain('on-demand throughput');
  });

  it('suggests the geography of the client region for the profile', async () => {
    const euFake = await startFakeBedrockRuntime({ requireInferenceProfile: true });
    try {
      const euModelClient = new BedrockRuntimeClient({
        region: 'eu-west-1',
        endpoint: euFake.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      clients.push(euModelClient);
      const outcome = await run(new BedrockChatModel(euModelClient).stream(request({ modelId: 'amazon.nova-lite-v1:0' })));
      expect(outcome.error?.message).toContain('eu.amazon.nova-lite-v1:0');
      const ok = await run(new BedrockChatModel(euModelClient).stream(request({ modelId: 'eu.amazon.nova-lite-v1:0' })));
      expect(ok.end).toBeDefined();
    } finally {
      await euFake.close();
    }
  });

  it('yields the deltas before a cut and then fails with unavailable', async () => {
    fake.script(() => ({ chunks: ['one ', 'two ', 'three ', 'four'], fault: 'cut-mid-stream', faultAfterChunks: 2 }));
    const outcome = await run(new BedrockChatModel(client()).stream(request()));
    expect(outcome.deltas).toEqual(['one ', 'two ']);
    expect(outcome.end).toBeUndefined();
    expect(outcome.error?.code).toBe('unavailable');
    expect(outcome.error?.message).toContain('broke while streaming');
    expect(await fake.requests[0]?.outcome).toBe('cut');
  });

  it('handles a cut over HTTP/1.1 the same way', async () => {
    fake.script(() => ({ chunks: ['one ', 'two ', 'three'], fault: 'cut-mid-stream', faultAfterChunks: 1 }));
    const outcome = await run(new BedrockChatModel(client({ http1: true })).stream(request()));
    expect(outcome.deltas).toEqual(['one ']);
    expect(outcome.error?.code).toBe('unavailable');
  });

  it('treats a stream that ends cleanly without messageStop as unavailable', async () => {
    fake.script(() => ({ chunks: ['one ', 'two ', 'three'], fault: 'end-early', faultAfterChunks: 1 }));
    const outcome = await run(new BedrockChatModel(client()).stream(request()));
    expect(outcome.deltas).toEqual(['one ']);
    expect(outcome.error?.code).toBe('unavailable');
    expect(outcome.error?.message).toBe('The model stream ended before the answer was complete');
  });

  it('maps an in-stream throttlingException after some deltas, without an SDK retry', async () => {
    fake.script(() => ({ chunks: ['a ', 'b ', 'c'], fault: 'mid-stream-throttling', faultAfterChunks: 2 }));
    const outcome = await run(new BedrockChatModel(client({ maxAttempts: 3 })).stream(request()));
    expect(outcome.deltas).toEqual(['a ', 'b ']);
    expect(outcome.error?.code).toBe('throttled');
    expect(outcome.error?.detail).toMatch(/ThrottlingException/i);
    expect(fake.requests).toHaveLength(1);
  });

  it('maps an in-stream modelStreamErrorException to unavailable', async () => {
    fake.script(() => ({ chunks: ['a ', 'b'], fault: 'mid-stream-model-error', faultAfterChunks: 1 }));
    const outcome = await run(new BedrockChatModel(client()).stream(request()));
    expect(outcome.deltas).toEqual(['a ']);
    expect(outcome.error?.code).toBe('unavailable');
    expect(outcome.error?.detail).toMatch(/ModelStreamErrorException/i);
  });

  it('cancels on abort after the first delta, and the fake sees the stream closed', async () => {
    fake.script(() => ({ chunks: ['first ', 'second ', 'third'], fault: 'stall', faultAfterChunks: 1 }));
    const controller = new AbortController();
    const outcome = await run(new BedrockChatModel(client()).stream(request({ signal: controller.signal })), () => controller.abort());
    expect(outcome.deltas).toEqual(['first ']);
    expect(outcome.error?.code).toBe('cancelled');
    expect(await fake.requests[0]?.outcome).toBe('client-closed');
    await expect.poll(() => fake.activeExchanges()).toBe(0);
  });

  it('cancels on abort before the response headers', async () => {
    fake.script(() => ({ fault: 'hang' }));
    const controller = new AbortController();
    const stream = new BedrockChatModel(client()).stream(request({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const outcome = await run(stream);
    expect(outcome.error?.code).toBe('cancelled');
    expect(await fake.requests[0]?.outcome).toBe('client-closed');
  });

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await run(new BedrockChatModel(client()).stream(request({ signal: controller.signal })));
    expect(outcome.error?.code).toBe('cancelled');
    expect(fake.requests).toHaveLength(0);
  });

  it('releases the upstream stream when the consumer stops iterating early', async () => {
    fake.script(() => ({ chunks: ['x ', 'y ', 'z'], fault: 'stall', faultAfterChunks: 1 }));
    for await (const event of new BedrockChatModel(client()).stream(request())) {
      expect(event).toEqual({ type: 'delta', text: 'x ' });
      break;
    }
    expect(await fake.requests[0]?.outcome).toBe('client-closed');
  });

  it('serves the non-streaming Converse call used for translation', async () => {
    const response = await client().send(
      new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'translate me' }] }] }),
    );
    expect(response.output?.message?.content?.[0]?.text).toBe(defaultAnswerChunks(MODEL).join(''));
    expect(response.stopReason).toBe('end_turn');
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
    expect(fake.requests[0]?.operation).toBe('converse');
  });

  it('keeps up with a couple of hundred concurrent streams', async () => {
    fake.script(() => ({ chunks: ['a', 'b', 'c', 'd'], chunkDelayMs: 5 }));
    const model = new BedrockChatModel(client());
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => run(model.stream(request()))));
    expect(outcomes.every((outcome) => outcome.deltas.join('') === 'abcd' && outcome.end !== undefined)).toBe(true);
    expect(fake.requests).toHaveLength(200);
  });
});
