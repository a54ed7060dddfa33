/**
 * The HTTP/1.1 plumbing shared by the wire-level AWS fakes (CloudWatch, STS, Secrets Manager,
 * Bedrock control plane and agent): a server on 127.0.0.1, request recording with the SigV4
 * scope the SDK signed with, per-action scripted replies and faults (AccessDenied, throttling,
 * 5xx, hang, reset, delay). Each service fake only parses its protocol and renders its answers.
 *
 * These SDK clients use @smithy/node-http-handler's HTTP/1.1 NodeHttpHandler by default (checked
 * in their runtimeConfig.js), so plain HTTP/1.1 is what they speak to an http:// endpoint.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Faults every fake understands; each renders them in its own protocol. */
export type NamedFault =
  /** 403, AccessDenied naming the IAM action ("... is not authorized to perform: svc:Action ..."). */
  | 'access-denied'
  /** 403, the credentials themselves rejected (InvalidClientTokenId / UnrecognizedClientException). */
  | 'invalid-credentials'
  /** Throttling (429, or 400 Throttling where the service answers so); the SDK retries it. */
  | 'throttling'
  /** 500 (the SDK retries it). */
  | 'server-error'
  /** 404 / ResourceNotFound. */
  | 'not-found'
  /** Never answers until the client gives up. */
  | 'hang'
  /** Drops the connection without an answer. */
  | 'reset';

export type AwsFault =
  | NamedFault
  | { status: number; code: string; message?: string }
  /** Answers normally after this delay. */
  | { delayMs: number };

export interface RecordedAwsRequest {
  /** The operation: `ListMetrics`, `GetCallerIdentity`, `GetInferenceProfile`... */
  action: string;
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** Parsed JSON, or form fields for the query protocol. */
  body: unknown;
  rawBody: string;
  /** From the SigV4 credential scope of the Authorization header. */
  region?: string;
  signingService?: string;
  accessKeyId?: string;
  time: number;
}

/** A reply a test scripts for one request; `body` is rendered in the service's protocol. */
export type ScriptedReply = { fault: AwsFault } | { status?: number; body: unknown };
export type ReplyScript = (request: RecordedAwsRequest) => ScriptedReply | undefined;

export interface RawExchange {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: string;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Outcome = HttpReply | 'hang' | 'reset';

export interface FaultControls {
  /** Every request recorded so far (live array). */
  readonly requests: RecordedAwsRequest[];
  /** Applies a fault to `action` (or every action with '*') for the next `times` requests (default: until cleared). */
  fault(action: string, fault: AwsFault | null, options?: { times?: number }): void;
  /** Scripts replies for `action` (or '*'); return undefined to fall through to the default behaviour. */
  script(action: string, fn: ReplyScript | undefined): void;
  /** Requests of one action. */
  requestsFor(action: string): RecordedAwsRequest[];
  /** Forgets requests, faults and scripts (not the service's stored data). */
  reset(): void;
  /** Exchanges held open by `hang` right now. */
  hanging(): number;
}

interface FaultSlot {
  fault: AwsFault;
  remaining: number;
}

/** Fault and script bookkeeping, shared by every fake. */
export class FaultTable {
  private readonly faults = new Map<string, FaultSlot>();
  private readonly scripts = new Map<string, ReplyScript>();

  set(action: string, fault: AwsFault | null, times = Number.POSITIVE_INFINITY): void {
    if (fault === null) this.faults.delete(action);
    else this.faults.set(action, { fault, remaining: times });
  }

  script(action: string, fn: ReplyScript | undefined): void {
    if (fn) this.scripts.set(action, fn);
    else this.scripts.delete(action);
  }

  clear(): void {
    this.faults.clear();
    this.scripts.clear();
  }

  /** The scripted reply or fault for this request, consuming one use of a counted fault. */
  take(request: RecordedAwsRequest): ScriptedReply | undefined {
    for (const key of [request.action, '*']) {
      const scripted = this.scripts.get(key)?.(request);
      if (scripted) return scripted;
    }
    for (const key of [request.action, '*']) {
      const slot = this.faults.get(key);
      if (!slot) continue;
      slot.remaining -= 1;
      if (slot.remaining <= 0) this.faults.delete(key);
      return { fault: slot.fault };
    }
    return undefined;
  }
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

export function signingScope(headers: Record<string, string>): Pick<RecordedAwsRequest, 'region' | 'signingService' | 'accessKeyId'> {
  const match = SCOPE.exec(headers.authorization ?? '');
  if (!match) return {};
  return { accessKeyId: match[1], region: match[2], signingService: match[3] };
}

export interface HttpFakeServer {
  url: string;
  port: number;
  hanging(): number;
  close(): Promise<void>;
}

/** An HTTP/1.1 server on 127.0.0.1 whose every request goes through `handle`. */
export async function startHttpFakeServer(handle: (exchange: RawExchange) => Promise<Outcome>): Promise<HttpFakeServer> {
  const sockets = new Set<Socket>();
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      const exchange: RawExchange = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
      };
      handle(exchange).then(
        (outcome) => {
          if (res.destroyed) return;
          if (outcome === 'hang') {
            held.add(res);
            res.once('close', () => held.delete(res));
            return;
          }
          if (outcome === 'reset') {
            req.socket.destroy();
            return;
          }
          res.writeHead(outcome.status, {
            'x-amzn-requestid': `fake-${Math.random().toString(16).slice(2, 10)}`,
            ...outcome.headers,
            'content-length': String(Buffer.byteLength(outcome.body)),
          });
          res.end(outcome.body);
        },
        (error: unknown) => {
          if (res.destroyed) return;
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`fake failed: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hanging: () => held.size,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Runs the common part of a request: record it, then apply a scripted reply or fault. */
export async function applyScript(
  table: FaultTable,
  request: RecordedAwsRequest,
  renderFault: (fault: NamedFault | { status: number; code: string; message?: string }, request: RecordedAwsRequest) => HttpReply,
  renderBody: (status: number, body: unknown, request: RecordedAwsRequest) => HttpReply,
): Promise<Outcome | undefined> {
  const scripted = table.take(request);
  if (!scripted) return undefined;
  if ('body' in scripted) return renderBody(scripted.status ?? 200, scripted.body, request);
  const fault = scripted.fault;
  if (typeof fault === 'object' && 'delayMs' in fault) {
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    return undefined;
  }
  if (fault === 'hang' || fault === 'reset') return fault;
  return renderFault(fault, request);
}

/** A closed port on 127.0.0.1 ("unreachable"): bound, then released, so nothing listens there. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The AccessDenied message AWS writes, naming the action (what src/aws parses). */
export function accessDeniedMessage(action: string, resource?: string): string {
  return `User: arn:aws:sts::123456789012:assumed-role/dualnova-task/test is not authorized to perform: ${action}${resource ? ` on resource: ${resource}` : ''} because no identity-based policy allows the ${action} action`;
}

export function controlsFrom(table: FaultTable, requests: RecordedAwsRequest[], hanging: () => number): FaultControls {
  return {
    requests,
    fault(action, fault, options = {}) {
      table.set(action, fault, options.times);
    },
    script(action, fn) {
      table.script(action, fn);
    },
    requestsFor(action) {
      return requests.filter((r) => r.action === action);
    },
    reset() {
      requests.length = 0;
      table.clear();
    },
    hanging,
  };
}
