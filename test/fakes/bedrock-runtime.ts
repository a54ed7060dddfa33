/**
 * A wire-level fake of the Amazon Bedrock Runtime Converse API for the real SDK v3 client.
 *
 * Serves h2c (HTTP/2 without TLS, what the SDK's default HTTP/2 handler speaks to an http://
 * endpoint) and HTTP/1.1 on the same port. ConverseStream answers are real
 * `application/vnd.amazon.eventstream` frames, so the SDK's own decoder is exercised.
 *
 *   const fake = await startFakeBedrockRuntime();
 *   fake.script((req) => (req.modelId.includes('micro') ? { fault: 'throttling' } : undefined));
 *   const client = new BedrockRuntimeClient({ endpoint: fake.url, region: 'us-east-1', ... });
 */
import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export type BedrockFault =
  /** 403 AccessDeniedException before any byte of the answer. */
  | 'access-denied'
  /** 429 ThrottlingException (the SDK retries it; set maxAttempts: 1 to see it at once). */
  | 'throttling'
  /** 500 InternalServerException (also retried by the SDK). */
  | 'server-error'
  /** 503 ServiceUnavailableException. */
  | 'service-unavailable'
  /** 400 ValidationException with `errorMessage` or a generic message. */
  | 'validation'
  /** 400 ValidationException exactly as Bedrock words it for a base Nova id without a profile. */
  | 'on-demand-unsupported'
  /** 404 ResourceNotFoundException. */
  | 'not-found'
  /** After `faultAfterChunks` deltas, resets the HTTP/2 stream (or destroys the HTTP/1 socket). */
  | 'cut-mid-stream'
  /** After `faultAfterChunks` deltas, ends the response cleanly but without messageStop/metadata. */
  | 'end-early'
  /** After `faultAfterChunks` deltas, sends an in-stream `throttlingException` and ends. */
  | 'mid-stream-throttling'
  /** After `faultAfterChunks` deltas, sends an in-stream `modelStreamErrorException` and ends. */
  | 'mid-stream-model-error'
  /** After `faultAfterChunks` deltas, stops writing and keeps the stream open until the client leaves. */
  | 'stall'
  /** Never answers at all (no headers) until the client leaves. */
  | 'hang';

export interface FakeUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

/** What the fake does with one request; every field is optional. */
export interface FakeReply {
  /** Text deltas in order. Default: `defaultAnswerChunks(modelId)`. */
  chunks?: string[];
  stopReason?: string;
  /** Overrides the simulated usage field by field. */
  usage?: Partial<FakeUsage>;
  /** metrics.latencyMs; default: the real time the fake spent on the request. */
  latencyMs?: number;
  /** Delay before the response headers. */
  firstByteDelayMs?: number;
  /** Delay before each delta after the first (0 = the whole answer in one write). */
  chunkDelayMs?: number;
  fault?: BedrockFault;
  /** For mid-stream faults: how many deltas go out first. Default: half of the chunks, at least 1. */
  faultAfterChunks?: number;
  /** Message of an error reply. */
  errorMessage?: string;
}

/** The parts of a Converse request body tests look at; anything else is kept as sent. */
export interface FakeConverseBody {
  system?: Array<{ text?: string; cachePoint?: { type: string } }>;
  messages?: Array<{ role: string; content: Array<{ text?: string }> }>;
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number };
  [key: string]: unknown;
}

/** How an exchange ended, as seen by the server. */
export type ExchangeOutcome = 'completed' | 'client-closed' | 'cut';

export interface RecordedRequest {
  operation: 'converse-stream' | 'converse';
  path: string;
  /** URL-decoded model id from the path. */
  modelId: string;
  body: FakeConverseBody;
  /** Lower-case header names; HTTP/2 pseudo-headers left out. */
  headers: Record<string, string>;
  httpVersion: string;
  /** Date.now() when the request body had arrived. */
  time: number;
  /** performance.now() in this process when the first text delta was written (load benchmark). */
  firstDeltaAt?: number;
  /** Settles when the response is complete or the client went away; never rejects. */
  outcome: Promise<ExchangeOutcome>;
}

export type ReplyScript = (request: RecordedRequest) => FakeReply | undefined;

export interface FakeBedrockOptions {
  port?: number;
  script?: ReplyScript;
  /** Answer base Nova ids (no `us.`/`eu.`/`apac.` prefix) like Bedrock does: on-demand ValidationException. */
  requireInferenceProfile?: boolean;
}

export interface FakeBedrockRuntime {
  /** `http://127.0.0.1:<port>`, for the client's `endpoint`. */
  url: string;
  /** Every model request so far, in arrival order (live array). */
  requests: RecordedRequest[];
  /** Replaces the reply script; `undefined` restores the default answer. */
  script(fn: ReplyScript | undefined): void;
  /** Streams still being answered right now. */
  activeExchanges(): number;
  /** Forgets recorded requests and the simulated prompt cache. */
  reset(): void;
  close(): Promise<void>;
}

export function defaultAnswerChunks(modelId: string): string[] {
  return [`Answer for ${modelId}: `, 'this is ', 'a deterministic ', 'answer from ', 'the fake ', 'Bedrock runtime.'];
}

const tokensOf = (text: string): number => (text === '' ? 0 : Math.ceil(text.length / 4));

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const stringHeader = (value: string) => ({ type: 'string' as const, value });

function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': stringHeader(eventType),
      ':message-type': stringHeader('event'),
      ':content-type': stringHeader('application/json'),
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': stringHeader(exceptionType),
      ':message-type': stringHeader('exception'),
      ':content-type': stringHeader('application/json'),
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

const HTTP_FAULTS: Partial<Record<BedrockFault, { status: number; type: string; message: (modelId: string) => string }>> = {
  'access-denied': {
    status: 403,
    type: 'AccessDeniedException',
    message: () => "You don't have access to the model with the specified model ID.",
  },
  throttling: { status: 429, type: 'ThrottlingException', message: () => 'Too many requests, please wait before trying again.' },
  'server-error': { status: 500, type: 'InternalServerException', message: () => 'The server encountered an internal error.' },
  'service-unavailable': { status: 503, type: 'ServiceUnavailableException', message: () => 'Service unavailable.' },
  validation: { status: 400, type: 'ValidationException', message: () => 'The request is invalid.' },
  'on-demand-unsupported': {
    status: 400,
    type: 'ValidationException',
    message: (modelId) =>
      `Invocation of model ID ${modelId} with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
  },
  'not-found': { status: 404, type: 'ResourceNotFoundException', message: () => 'Model not found.' },
};

const ROUTE = /^\/model\/([^/]+)\/(converse-stream|converse)$/;
const BASE_NOVA_ID = /^amazon\.nova-/;

/** What the fake needs from an HTTP/1 or HTTP/2 compat request. */
interface RequestLike extends AsyncIterable<Buffer | string> {
  url?: string | undefined;
  method?: string | undefined;
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** What the fake needs from an HTTP/1 or HTTP/2 compat response. */
interface ResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): boolean;
  end(): unknown;
  end(chunk: Uint8Array): unknown;
  once(event: 'close' | 'finish', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** One request/response pair, hiding the HTTP/1 vs HTTP/2 differences the fake cares about. */
class Exchange {
  closed = false;
  private ended = false;
  private cutByServer = false;
  readonly outcome: Promise<ExchangeOutcome>;
  private readonly closedPromise: Promise<void>;

  constructor(
    readonly req: RequestLike,
    private readonly res: ResponseLike,
    /** Breaks the transport abruptly: RST_STREAM on HTTP/2, a destroyed socket on HTTP/1. */
    private readonly breakTransport: () => void,
  ) {
    let settle: (outcome: ExchangeOutcome) => void = () => undefined;
    this.outcome = new Promise((resolve) => (settle = resolve));
    let finished = false;
    res.once('finish', () => (finished = true));
    // Both HTTP/1 and HTTP/2 responses emit 'close' once, whether they finished or the peer left.
    this.closedPromise = new Promise((resolve) => {
      res.once('close', () => {
        this.closed = true;
        settle(this.cutByServer ? 'cut' : this.ended && finished ? 'completed' : 'client-closed');
        resolve();
      });
    });
    const ignore = (): void => undefined;
    req.on('error', ignore);
    res.on('error', ignore);
  }

  whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  head(status: number, headers: Record<string, string>): void {
    if (this.closed) return;
    this.res.writeHead(status, { 'x-amzn-requestid': randomUUID(), ...headers });
  }

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    this.res.write(bytes);
  }

  end(bytes?: Uint8Array): void {
    if (this.closed) return;
    this.ended = true;
    if (bytes) this.res.end(bytes);
    else this.res.end();
  }

  cut(): void {
    if (this.closed) return;
    this.cutByServer = true;
    this.breakTransport();
  }
}

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0');

export async function startFakeBedrockRuntime(options: FakeBedrockOptions = {}): Promise<FakeBedrockRuntime> {
  const requests: RecordedRequest[] = [];
  const cachedPrefixes = new Set<string>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let script: ReplyScript | undefined = options.script;
  let active = 0;

  const delay = (ms: number, exchange: Exchange): Promise<void> => {
    if (ms <= 0) return Promise.resolve();
    return Promise.race([
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
      exchange.whenClosed(),
    ]);
  };

  /** Simulates Converse prompt caching: the first call with a prefix writes it, later calls read it. */
  function simulatedUsage(record: RecordedRequest, answer: string, override: Partial<FakeUsage> | undefined): FakeUsage {
    const system = record.body.system ?? [];
    const cachePointAt = system.findIndex((block) => block.cachePoint !== undefined);
    const prefixBlocks = cachePointAt === -1 ? [] : system.slice(0, cachePointAt);
    const restBlocks = cachePointAt === -1 ? system : system.slice(cachePointAt + 1);
    const prefixTokens = tokensOf(prefixBlocks.map((block) => block.text ?? '').join(''));
    const messageText = (record.body.messages ?? []).flatMap((m) => m.content.map((c) => c.text ?? '')).join('');
    const inputTokens = tokensOf(restBlocks.map((block) => block.text ?? '').join('') + messageText);
    let cacheReadInputTokens = 0;
    let cacheWriteInputTokens = 0;
    if (prefixTokens > 0) {
      const key = `${record.modelId}\u0000${JSON.stringify(prefixBlocks)}`;
      if (cachedPrefixes.has(key)) cacheReadInputTokens = prefixTokens;
      else {
        cachedPrefixes.add(key);
        cacheWriteInputTokens = prefixTokens;
      }
    }
    return {
      inputTokens,
      outputTokens: Math.max(1, tokensOf(answer)),
      cacheReadInputTokens,
      cacheWriteInputTokens,
      ...override,
    };
  }

  function sendError(exchange: Exchange, status: number, type: string, message: string): void {
    exchange.head(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    exchange.end(fromUtf8(JSON.stringify({ message })));
  }

  async function answerStream(exchange: Exchange, record: RecordedRequest, reply: FakeReply, started: number): Promise<void> {
    const chunks = reply.chunks ?? defaultAnswerChunks(record.modelId);
    const midFault = reply.fault;
    const faultAt = Math.min(chunks.length, reply.faultAfterChunks ?? Math.max(1, Math.floor(chunks.length / 2)));
    const isMidFault =
      midFault === 'cut-mid-stream' ||
      midFault === 'end-early' ||
      midFault === 'mid-stream-throttling' ||
      midFault === 'mid-stream-model-error' ||
      midFault === 'stall';
    const chunkDelay = reply.chunkDelayMs ?? 0;
    exchange.head(200, { 'content-type': 'application/vnd.amazon.eventstream' });

    // Frames are batched into one write until a delay forces a flush: cheap for benchmarks.
    let pending: Uint8Array[] = [eventFrame('messageStart', { role: 'assistant' })];
    let deltaPending = false;
    const flush = (): void => {
      if (pending.length === 0) return;
      exchange.write(pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending));
      pending = [];
      if (deltaPending && record.firstDeltaAt === undefined) record.firstDeltaAt = performance.now();
    };

    for (let i = 0; i < chunks.length; i += 1) {
      if (isMidFault && i === faultAt) break;
      if (i > 0 && chunkDelay > 0) {
        flush();
        await delay(chunkDelay, exchange);
        if (exchange.closed) return;
      }
      pending.push(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: chunks[i] } }));
      deltaPending = true;
    }

    if (isMidFault) {
      flush();
      switch (midFault) {
        case 'cut-mid-stream':
          exchange.cut();
          return;
        case 'end-early':
          exchange.end();
          return;
        case 'mid-stream-throttling':
          exchange.end(exceptionFrame('throttlingException', reply.errorMessage ?? 'Too many tokens, please wait before trying again.'));
          return;
        case 'mid-stream-model-error':
          exchange.end(exceptionFrame('modelStreamErrorException', reply.errorMessage ?? 'The model stream failed.'));
          return;
        case 'stall':
          await exchange.whenClosed();
          return;
      }
    }

    const answer = chunks.join('');
    const usage = simulatedUsage(record, answer, reply.usage);
    pending.push(
      eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
      eventFrame('messageStop', { stopReason: reply.stopReason ?? 'end_turn' }),
      eventFrame('metadata', {
        usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens },
        metrics: { latencyMs: reply.latencyMs ?? Date.now() - started },
      }),
    );
    const last = Buffer.concat(pending);
    pending = [];
    exchange.end(last);
    if (deltaPending && record.firstDeltaAt === undefined) record.firstDeltaAt = performance.now();
  }

  async function answerConverse(exchange: Exchange, record: RecordedRequest, reply: FakeReply, started: number): Promise<void> {
    const chunks = reply.chunks ?? defaultAnswerChunks(record.modelId);
    switch (reply.fault) {
      case 'cut-mid-stream':
      case 'end-early':
        exchange.cut();
        return;
      case 'mid-stream-throttling':
        sendError(exchange, 429, 'ThrottlingException', reply.errorMessage ?? 'Too many tokens.');
        return;
      case 'mid-stream-model-error':
        sendError(exchange, 424, 'ModelErrorException', reply.errorMessage ?? 'The model failed.');
        return;
      case 'stall':
        await exchange.whenClosed();
        return;
      default:
        break;
    }
    await delay((reply.chunkDelayMs ?? 0) * Math.max(0, chunks.length - 1), exchange);
    if (exchange.closed) return;
    const text = chunks.join('');
    const usage = simulatedUsage(record, text, reply.usage);
    exchange.head(200, { 'content-type': 'application/json' });
    exchange.end(
      fromUtf8(
        JSON.stringify({
          output: { message: { role: 'assistant', content: [{ text }] } },
          stopReason: reply.stopReason ?? 'end_turn',
          usage: {
            ...usage,
            totalTokens: usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens,
          },
          metrics: { latencyMs: reply.latencyMs ?? Date.now() - started },
        }),
      ),
    );
  }

  async function handle(exchange: Exchange): Promise<void> {
    const started = Date.now();
    const req = exchange.req;
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const path = req.url ?? '';
    const route = ROUTE.exec(path.split('?')[0] ?? '');
    if (req.method !== 'POST' || !route) {
      sendError(exchange, 404, 'UnknownOperationException', `No such operation: ${req.method} ${path}`);
      return;
    }
    let body: FakeConverseBody;
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(parts).toString('utf8') || '{}');
      body = typeof parsed === 'object' && parsed !== null ? (parsed as FakeConverseBody) : {};
    } catch {
      sendError(exchange, 400, 'SerializationException', 'The request body is not valid JSON.');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':') || value === undefined) continue;
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    const modelId = decodeURIComponent(route[1] ?? '');
    const record: RecordedRequest = {
      operation: route[2] === 'converse' ? 'converse' : 'converse-stream',
      path,
      modelId,
      body,
      headers,
      httpVersion: req.httpVersion,
      time: Date.now(),
      outcome: exchange.outcome,
    };
    requests.push(record);

    let reply: FakeReply = script?.(record) ?? {};
    if (options.requireInferenceProfile && BASE_NOVA_ID.test(modelId) && reply.fault === undefined) {
      reply = { ...reply, fault: 'on-demand-unsupported' };
    }

    active += 1;
    try {
      if (reply.fault === 'hang') {
        await exchange.whenClosed();
        return;
      }
      await delay(reply.firstByteDelayMs ?? 0, exchange);
      if (exchange.closed) return;
      const httpFault = reply.fault ? HTTP_FAULTS[reply.fault] : undefined;
      if (httpFault) {
        sendError(exchange, httpFault.status, httpFault.type, reply.errorMessage ?? httpFault.message(modelId));
        return;
      }
      if (record.operation === 'converse') await answerConverse(exchange, record, reply, started);
      else await answerStream(exchange, record, reply, started);
    } finally {
      active -= 1;
    }
  }

  const serve = (exchange: Exchange): void => {
    handle(exchange).catch(() => {
      // A client that vanished mid-request is normal here; the exchange records it.
    });
  };
  const h2 = http2.createServer((req, res) => {
    req.stream.on('error', () => undefined);
    serve(new Exchange(req, res, () => req.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR)));
  });
  h2.on('session', (session) => session.on('error', () => undefined));
  h2.on('sessionError', () => undefined);
  const h1 = http.createServer((req, res) => {
    serve(new Exchange(req, res, () => req.socket.end(() => req.socket.destroy())));
  });
  h1.on('clientError', (_error, socket) => socket.destroy());

  // Node 20's plain http2 server cannot fall back to HTTP/1.1 (allowHTTP1 needs TLS/ALPN), so the
  // port sniffs the connection preface and hands the socket to the right server.
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      const target = first.subarray(0, 3).equals(HTTP2_PREFACE.subarray(0, 3)) ? h2 : h1;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: '127.0.0.1', backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(fn) {
      script = fn;
    },
    activeExchanges: () => active,
    reset() {
      requests.length = 0;
      cachedPrefixes.clear();
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
