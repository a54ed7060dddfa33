/**
 * A small fake of an OpenAI-compatible server (Ollama, llama.cpp, vLLM): HTTP/1.1,
 * `POST <any prefix>/chat/completions` streaming server-sent events with a usage chunk and
 * `data: [DONE]`, plus faults.
 *
 *   const fake = await startFakeOpenAi();
 *   fake.script(() => ({ fault: 'rate-limited' }));
 *   new OpenAiCompatibleChatModel({ baseUrl: `${fake.url}/v1` });
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type OpenAiFault =
  /** 401 with an OpenAI-style error body. */
  | 'unauthorized'
  | 'forbidden'
  /** 429. */
  | 'rate-limited'
  /** 400. */
  | 'bad-request'
  /** 404 (unknown model, as Ollama answers). */
  | 'not-found'
  /** 500. */
  | 'server-error'
  /** After `faultAfterChunks` deltas, destroys the socket. */
  | 'cut-mid-stream'
  /** After `faultAfterChunks` deltas, ends the response cleanly with no finish_reason and no [DONE]. */
  | 'no-done'
  /** After `faultAfterChunks` deltas, sends `data: {"error":{...}}` and ends. */
  | 'error-event'
  /** After `faultAfterChunks` deltas, keeps the response open until the client leaves. */
  | 'stall';

export interface FakeOpenAiReply {
  /** Content deltas in order. Default: `defaultOpenAiChunks(model)`. */
  chunks?: string[];
  /** Default 'stop'. */
  finishReason?: string;
  usage?: { promptTokens?: number; completionTokens?: number; cachedTokens?: number };
  firstByteDelayMs?: number;
  chunkDelayMs?: number;
  fault?: OpenAiFault;
  faultAfterChunks?: number;
  /**
   * Writes the whole SSE byte stream in pieces of this many bytes, each flushed on its own turn,
   * so lines, CRLF pairs and multi-byte characters get split across network reads.
   */
  splitEveryBytes?: number;
  /** Default '\n'. */
  lineEnding?: '\n' | '\r\n';
}

export interface RecordedOpenAiRequest {
  path: string;
  /** The parsed JSON body (model, messages, stream, stream_options, max_tokens, temperature...). */
  body: Record<string, unknown>;
  headers: Record<string, string>;
  time: number;
  /** Settles when the response is complete or the connection closed; never rejects. */
  outcome: Promise<'completed' | 'client-closed' | 'cut'>;
}

export type OpenAiScript = (request: RecordedOpenAiRequest) => FakeOpenAiReply | undefined;

export interface FakeOpenAi {
  /** `http://127.0.0.1:<port>`; the model's baseUrl is this plus any prefix, e.g. `/v1`. */
  url: string;
  requests: RecordedOpenAiRequest[];
  script(fn: OpenAiScript | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export function defaultOpenAiChunks(model: string): string[] {
  return [`Answer from ${model}: `, 'streamed ', 'by the fake ', 'OpenAI-compatible ', 'server.'];
}

const HTTP_FAULTS: Partial<Record<OpenAiFault, { status: number; type: string; message: string }>> = {
  unauthorized: { status: 401, type: 'invalid_request_error', message: 'Incorrect API key provided.' },
  forbidden: { status: 403, type: 'permission_error', message: 'You are not allowed to use this model.' },
  'rate-limited': { status: 429, type: 'rate_limit_error', message: 'Rate limit reached for requests.' },
  'bad-request': { status: 400, type: 'invalid_request_error', message: "'messages' must not be empty." },
  'not-found': { status: 404, type: 'not_found_error', message: 'model not found' },
  'server-error': { status: 500, type: 'server_error', message: 'The server had an error while processing your request.' },
};

export async function startFakeOpenAi(options: { script?: OpenAiScript } = {}): Promise<FakeOpenAi> {
  const requests: RecordedOpenAiRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let script = options.script;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let closed = false;
    let cut = false;
    let settle: (outcome: 'completed' | 'client-closed' | 'cut') => void = () => undefined;
    const outcome = new Promise<'completed' | 'client-closed' | 'cut'>((resolve) => (settle = resolve));
    const closedPromise = new Promise<void>((resolve) =>
      res.once('close', () => {
        closed = true;
        settle(cut ? 'cut' : res.writableFinished ? 'completed' : 'client-closed');
        resolve();
      }),
    );
    res.on('error', () => undefined);
    req.on('error', () => undefined);

    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const path = req.url ?? '';
    const sendJson = (status: number, payload: unknown): void => {
      if (closed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || !/\/chat\/completions(?:\?|$)/.test(path)) {
      sendJson(404, { error: { message: `No route ${req.method} ${path}`, type: 'not_found_error' } });
      return;
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(parts).toString('utf8'));
      body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      sendJson(400, { error: { message: 'We could not parse the JSON body of your request.', type: 'invalid_request_error' } });
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record: RecordedOpenAiRequest = { path, body, headers, time: Date.now(), outcome };
    requests.push(record);
    const reply = script?.(record) ?? {};

    if (reply.firstByteDelayMs) await Promise.race([wait(reply.firstByteDelayMs), closedPromise]);
    if (closed) return;
    const httpFault = reply.fault ? HTTP_FAULTS[reply.fault] : undefined;
    if (httpFault) {
      sendJson(httpFault.status, { error: { message: httpFault.message, type: httpFault.type, code: null } });
      return;
    }

    const model = typeof body['model'] === 'string' ? body['model'] : 'unknown';
    const chunks = reply.chunks ?? defaultOpenAiChunks(model);
    const eol = reply.lineEnding ?? '\n';
    const midFault =
      reply.fault === 'cut-mid-stream' || reply.fault === 'no-done' || reply.fault === 'error-event' || reply.fault === 'stall'
        ? reply.fault
        : undefined;
    const faultAt = Math.min(chunks.length, reply.faultAfterChunks ?? Math.max(1, Math.floor(chunks.length / 2)));
    const created = Math.floor(Date.now() / 1000);
    const event = (payload: unknown): string => `data: ${JSON.stringify(payload)}${eol}${eol}`;
    const chunk = (delta: Record<string, unknown>, finishReason: string | null): string =>
      event({
        id: 'chatcmpl-fake',
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
      });

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });

    const send = async (text: string): Promise<void> => {
      if (closed) return;
      const split = reply.splitEveryBytes;
      if (!split) {
        res.write(text);
        return;
      }
      const bytes = Buffer.from(text, 'utf8');
      for (let i = 0; i < bytes.length && !closed; i += split) {
        res.write(bytes.subarray(i, i + split));
        await wait(1);
      }
    };

    await send(chunk({ role: 'assistant', content: '' }, null));
    for (let i = 0; i < chunks.length; i += 1) {
      if (midFault && i === faultAt) break;
      if (i > 0 && reply.chunkDelayMs) await Promise.race([wait(reply.chunkDelayMs), closedPromise]);
      if (closed) return;
      await send(chunk({ content: chunks[i] }, null));
    }
    if (midFault === 'cut-mid-stream') {
      cut = true;
      // end() first so the deltas already written reach the client before the connection drops.
      req.socket.end(() => req.socket.destroy());
      return;
    }
    if (midFault === 'no-done') {
      res.end();
      return;
    }
    if (midFault === 'error-event') {
      await send(event({ error: { message: 'model crashed while generating', type: 'server_error' } }));
      res.end();
      return;
    }
    if (midFault === 'stall') {
      await closedPromise;
      return;
    }
    await send(chunk({}, reply.finishReason ?? 'stop'));
    const answer = chunks.join('');
    const options = body['stream_options'];
    const wantsUsage = typeof options === 'object' && options !== null && (options as Record<string, unknown>)['include_usage'] === true;
    if (wantsUsage) {
      const promptTokens = reply.usage?.promptTokens ?? Math.ceil(JSON.stringify(body['messages'] ?? []).length / 4);
      const completionTokens = reply.usage?.completionTokens ?? Math.max(1, Math.ceil(answer.length / 4));
      await send(
        event({
          id: 'chatcmpl-fake',
          object: 'chat.completion.chunk',
          created,
          model,
          choices: [],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
            prompt_tokens_details: { cached_tokens: reply.usage?.cachedTokens ?? 0 },
          },
        }),
      );
    }
    await send(`data: [DONE]${eol}${eol}`);
    if (!closed) res.end();
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      // The client went away mid-request; nothing to answer.
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(fn) {
      script = fn;
    },
    reset() {
      requests.length = 0;
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
