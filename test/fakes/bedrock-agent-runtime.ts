/**
 * A wire-level fake of the Bedrock Agent Runtime Retrieve API (restJson1) on 127.0.0.1. One port
 * speaks both h2c (what the SDK's default HTTP/2 handler sends to an http:// endpoint) and
 * HTTP/1.1 (a client built with NodeHttpHandler): the first bytes of each connection decide.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';

export interface FakeRetrievalResult {
  text: string;
  /** An s3:// uri; becomes `location.s3Location.uri`. */
  uri: string;
  score?: number;
  metadata?: Record<string, unknown>;
}

export interface RetrieveRequestInfo {
  knowledgeBaseId: string;
  query: string;
  numberOfResults: number | undefined;
}

export interface FakeAgentRuntimeOptions {
  /** Results for every Retrieve call (cut to numberOfResults), or a function of the request. */
  results?: FakeRetrievalResult[] | ((request: RetrieveRequestInfo) => FakeRetrievalResult[]);
  /** Knowledge base ids that exist; others get 404 ResourceNotFoundException. Default: any id exists. */
  knowledgeBaseIds?: string[];
}

export type AgentRuntimeFaultName = 'access-denied' | 'throttling' | 'server-error' | 'not-found' | 'validation';

export type AgentRuntimeFault =
  | AgentRuntimeFaultName
  | { type: 'error'; status: number; errorType: string; message?: string }
  /** Holds the response back this long before answering normally (a slow first byte). */
  | { type: 'delay'; ms: number }
  /** Drops the connection without an answer. */
  | { type: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  knowledgeBaseId: string | undefined;
  httpVersion: '1.1' | '2';
}

export interface FakeAgentRuntime {
  url: string;
  requests: RecordedRequest[];
  /** Applies `fault` to the next `times` requests (default: every request until cleared with null). */
  setFault(fault: AgentRuntimeFault | null, options?: { times?: number }): void;
  close(): Promise<void>;
}

export const DEFAULT_FAKE_RESULTS: FakeRetrievalResult[] = [
  {
    text: 'Within 7 days of purchase, a product that has not been used at all can be fully refunded.',
    uri: 's3://starfall-kb/en/refund-policy.md',
    score: 0.82,
  },
  {
    text: '결제 후 7일 이내, 구매한 상품을 전혀 사용하지 않았다면 전액 환불(청약 철회)이 가능합니다.',
    uri: 's3://starfall-kb/ko/refund-policy.md',
    score: 0.77,
  },
];

const NAMED_FAULTS: Record<AgentRuntimeFaultName, { status: number; errorType: string; message: string }> = {
  'access-denied': {
    status: 403,
    errorType: 'AccessDeniedException',
    message: 'User: arn:aws:sts::123456789012:assumed-role/dualnova-task/test is not authorized to perform: bedrock:Retrieve',
  },
  throttling: { status: 429, errorType: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
  'server-error': { status: 500, errorType: 'InternalServerException', message: 'Internal server error' },
  'not-found': { status: 404, errorType: 'ResourceNotFoundException', message: 'Knowledge base not found.' },
  validation: { status: 400, errorType: 'ValidationException', message: 'Invalid retrieval configuration.' },
};

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Outcome = Reply | 'reset';

export async function startFakeAgentRuntime(options: FakeAgentRuntimeOptions = {}): Promise<FakeAgentRuntime> {
  const requests: RecordedRequest[] = [];
  let fault: AgentRuntimeFault | null = null;
  let faultRemaining = Number.POSITIVE_INFINITY;
  let requestCounter = 0;

  const nextFault = (): AgentRuntimeFault | null => {
    if (fault === null) return null;
    const current = fault;
    faultRemaining -= 1;
    if (faultRemaining <= 0) fault = null;
    return current;
  };

  const handle = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    rawBody: string,
    httpVersion: '1.1' | '2',
  ): Promise<Outcome> => {
    const match = /^\/knowledgebases\/([^/]+)\/retrieve$/u.exec(path.split('?')[0] ?? '');
    const knowledgeBaseId = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    let body: unknown = rawBody;
    try {
      body = rawBody === '' ? undefined : JSON.parse(rawBody);
    } catch {
      // Recorded as text so a test can see what was sent.
    }
    requests.push({ method, path, headers, body, knowledgeBaseId, httpVersion });
    const requestId = `fake-${++requestCounter}`;

    const active = nextFault();
    if (active !== null && typeof active === 'object' && active.type === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, active.ms));
    } else if (active !== null && typeof active === 'object' && active.type === 'reset') {
      return 'reset';
    } else if (active !== null) {
      const spec = typeof active === 'string' ? NAMED_FAULTS[active] : { message: `${active.errorType}`, ...active };
      return errorReply(spec.status, spec.errorType, spec.message, requestId);
    }

    if (method !== 'POST' || knowledgeBaseId === undefined) {
      return errorReply(404, 'UnknownOperationException', `No operation at ${method} ${path}`, requestId);
    }
    if (options.knowledgeBaseIds !== undefined && !options.knowledgeBaseIds.includes(knowledgeBaseId)) {
      return errorReply(404, 'ResourceNotFoundException', `Knowledge base ${knowledgeBaseId} not found.`, requestId);
    }
    const input = isRecord(body) ? body : {};
    const query = isRecord(input.retrievalQuery) && typeof input.retrievalQuery.text === 'string' ? input.retrievalQuery.text : '';
    if (query === '') return errorReply(400, 'ValidationException', 'retrievalQuery.text must not be empty', requestId);
    const vector =
      isRecord(input.retrievalConfiguration) && isRecord(input.retrievalConfiguration.vectorSearchConfiguration)
        ? input.retrievalConfiguration.vectorSearchConfiguration
        : {};
    const numberOfResults = typeof vector.numberOfResults === 'number' ? vector.numberOfResults : undefined;

    const source = options.results ?? DEFAULT_FAKE_RESULTS;
    const results = typeof source === 'function' ? source({ knowledgeBaseId, query, numberOfResults }) : source;
    const retrievalResults = results.slice(0, numberOfResults ?? 5).map((result) => ({
      content: { type: 'TEXT', text: result.text },
      location: { type: 'S3', s3Location: { uri: result.uri } },
      ...(result.score === undefined ? {} : { score: result.score }),
      ...(result.metadata === undefined ? {} : { metadata: result.metadata }),
    }));
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: JSON.stringify({ retrievalResults }),
    };
  };

  const h2 = http2.createServer();
  h2.on('stream', (stream, rawHeaders) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', () => undefined);
    stream.on('end', () => {
      const method = String(rawHeaders[':method'] ?? 'GET');
      const path = String(rawHeaders[':path'] ?? '/');
      void handle(method, path, plainHeaders(rawHeaders), Buffer.concat(chunks).toString('utf8'), '2').then((outcome) => {
        if (stream.destroyed || stream.closed) return;
        if (outcome === 'reset') {
          stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
          stream.session?.destroy();
          return;
        }
        stream.respond({ ':status': outcome.status, ...outcome.headers, 'content-length': Buffer.byteLength(outcome.body) });
        stream.end(outcome.body);
      });
    });
  });

  const h1 = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req.method ?? 'GET', req.url ?? '/', plainHeaders(req.headers), Buffer.concat(chunks).toString('utf8'), '1.1').then(
        (outcome) => {
          if (res.destroyed) return;
          if (outcome === 'reset') {
            req.socket.destroy();
            return;
          }
          res.writeHead(outcome.status, { ...outcome.headers, 'content-length': Buffer.byteLength(outcome.body) });
          res.end(outcome.body);
        },
      );
    });
  });

  const sockets = new Set<net.Socket>();
  const H2_PREFACE = 'PRI * HTTP/2.0';
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (first: Buffer) => {
      const head = first.subarray(0, H2_PREFACE.length).toString('latin1');
      const isH2 = head === H2_PREFACE.slice(0, head.length);
      // Both servers read a net.Socket's native handle directly, bypassing bytes already read here,
      // so they get a plain Duplex that replays the first chunk and relays the rest.
      (isH2 ? h2 : h1).emit('connection', relay(socket, first));
    });
  });

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = front.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault(next, faultOptions = {}) {
      fault = next;
      faultRemaining = faultOptions.times ?? Number.POSITIVE_INFINITY;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => front.close(() => resolve())),
        new Promise<void>((resolve) => h2.close(() => resolve())),
        new Promise<void>((resolve) => {
          h1.close(() => resolve());
          h1.closeAllConnections();
        }),
      ]);
    },
  };
}

function relay(socket: net.Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  duplex.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}

function errorReply(status: number, errorType: string, message: string, requestId: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ message }),
  };
}

function plainHeaders(headers: IncomingHttpHeaders | http2.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
