import { ModelError, type ChatModel, type ChatRequest, type ChatStreamEvent } from '../src/models/types.js';

export interface ModelProfile {
  name: string;
  firstTokenMs: number;
  tokensPerSecond: number;
  tokens: number;
  /** Tokens per streamed chunk, as Bedrock groups them into contentBlockDelta events. */
  tokensPerChunk: number;
}

export const MICRO: ModelProfile = { name: 'sim-micro', firstTokenMs: 150, tokensPerSecond: 250, tokens: 300, tokensPerChunk: 4 };
export const PRO: ModelProfile = { name: 'sim-pro', firstTokenMs: 600, tokensPerSecond: 80, tokens: 1000, tokensPerChunk: 4 };
/** Micro translating a short question (a translated question is a couple of dozen tokens). */
export const MICRO_TRANSLATION: ModelProfile = { ...MICRO, tokens: 24 };

export interface StreamTiming {
  key: string;
  part: string;
  lane: string;
  startedAt: number;
  firstTokenAt: number;
  lastTokenAt: number;
}

const sleepUntil = (at: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelError('cancelled', 'cancelled'));
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, at - performance.now()),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A model with a fixed time to first token and a steady token rate, scheduled against the clock
 * (not by sleeping per chunk) so event-loop lag shows up as lag, not as slower models.
 * `pauseAfterChunkMs` reproduces the old system's per-chunk sleeps.
 */
export class SimulatedModel implements ChatModel {
  readonly provider = 'bedrock' as const;
  readonly timings: StreamTiming[] = [];

  constructor(
    private readonly profiles: { overview: ModelProfile; detail: ModelProfile; translation?: ModelProfile },
    private readonly pauseAfterChunkMs = 0,
  ) {}

  async *stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
    // A request without an answer context is a translation (its text is the user message).
    const translation = request.label === undefined && this.profiles.translation !== undefined;
    const part = translation ? 'translation' : (request.label?.part ?? 'overview');
    const profile = translation && this.profiles.translation ? this.profiles.translation : this.profiles[request.label?.part ?? 'overview'];
    const startedAt = performance.now();
    const key = request.label?.question ?? request.messages.at(-1)?.text ?? '';
    const timing: StreamTiming = { key, part, lane: request.label?.lane ?? '', startedAt, firstTokenAt: 0, lastTokenAt: 0 };
    this.timings.push(timing);
    const msPerToken = 1000 / profile.tokensPerSecond;
    let lag = 0;
    for (let sent = 0; sent < profile.tokens; sent += profile.tokensPerChunk) {
      const due = startedAt + profile.firstTokenMs + sent * msPerToken + lag;
      await sleepUntil(due, request.signal);
      const now = performance.now();
      if (sent === 0) timing.firstTokenAt = now;
      timing.lastTokenAt = now;
      yield { type: 'delta', text: 'tok '.repeat(Math.min(profile.tokensPerChunk, profile.tokens - sent)) };
      if (this.pauseAfterChunkMs > 0) {
        const before = performance.now();
        await sleepUntil(before + this.pauseAfterChunkMs, request.signal);
        lag += performance.now() - before;
      }
    }
    yield {
      type: 'end',
      usage: { inputTokens: 500, outputTokens: profile.tokens, cacheReadInputTokens: 400, cacheWriteInputTokens: 0 },
      stopReason: 'end_turn',
    };
  }
}
