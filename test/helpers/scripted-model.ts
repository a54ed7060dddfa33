import { ModelError, type ChatModel, type ChatRequest, type ChatStreamEvent, type TokenUsage } from '../../src/models/types.js';

/** A step of a scripted stream: text to emit, a gate to wait on, or a failure. */
export type Step = string | { wait: Promise<void> } | { fail: ModelError };

export interface ScriptedCall {
  request: ChatRequest;
  startedAt: number;
}

/**
 * A ChatModel whose streams follow a script chosen per request (by the part in its context),
 * so tests control exactly when each delta arrives. Honours the abort signal like a real provider.
 */
export class ScriptedModel implements ChatModel {
  readonly provider = 'bedrock' as const;
  readonly calls: ScriptedCall[] = [];

  constructor(
    private readonly script: (request: ChatRequest) => Step[],
    private readonly usage: TokenUsage = { inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 3, cacheWriteInputTokens: 0 },
  ) {}

  async *stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
    this.calls.push({ request, startedAt: performance.now() });
    const aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(new ModelError('cancelled', 'cancelled'));
      if (request.signal.aborted) fail();
      else request.signal.addEventListener('abort', fail, { once: true });
    });
    aborted.catch(() => undefined);
    for (const step of this.script(request)) {
      if (request.signal.aborted) throw new ModelError('cancelled', 'cancelled');
      if (typeof step === 'string') yield { type: 'delta', text: step };
      else if ('wait' in step) await Promise.race([step.wait, aborted]);
      else throw step.fail;
    }
    yield { type: 'end', usage: this.usage, stopReason: 'end_turn' };
  }
}

export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
