/**
 * A wire-level fake of AWS STS (the query protocol) for the real SDK v3 client, on 127.0.0.1:
 * form-encoded POST (`Action=GetCallerIdentity&Version=2011-06-15`), XML answers, XML
 * `<ErrorResponse>` errors.
 *
 *   const sts = await startFakeSts({ account: '123456789012' });
 *   process.env.AWS_ENDPOINT_URL_STS = sts.url;
 *   sts.fault('GetCallerIdentity', 'invalid-credentials');
 */
import {
  applyScript,
  controlsFrom,
  FaultTable,
  signingScope,
  startHttpFakeServer,
  type FaultControls,
  type HttpReply,
  type NamedFault,
  type RecordedAwsRequest,
} from './aws-http-fake.js';

export interface FakeStsOptions {
  account?: string;
  arn?: string;
  userId?: string;
}

export interface FakeSts extends FaultControls {
  url: string;
  close(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const xmlEscape = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);

function errorReply(status: number, code: string, message: string): HttpReply {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`,
  };
}

function resultReply(action: string, fields: Record<string, unknown>): HttpReply {
  const inner = Object.entries(fields)
    .map(([name, value]) => `<${name}>${xmlEscape(String(value))}</${name}>`)
    .join('');
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${action}Response xmlns="${NS}"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function renderFault(fault: NamedFault | { status: number; code: string; message?: string }, request: RecordedAwsRequest): HttpReply {
  if (typeof fault === 'object') return errorReply(fault.status, fault.code, fault.message ?? fault.code);
  switch (fault) {
    case 'access-denied':
      // GetCallerIdentity cannot be denied by IAM in real AWS; the fake can, for fault matrices.
      return errorReply(
        403,
        'AccessDenied',
        `User: arn:aws:iam::123456789012:user/test is not authorized to perform: sts:${request.action}`,
      );
    case 'invalid-credentials':
      return errorReply(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    case 'throttling':
      return errorReply(400, 'Throttling', 'Rate exceeded');
    case 'server-error':
      return errorReply(500, 'InternalFailure', 'The request processing has failed because of an unknown error.');
    default:
      return errorReply(404, 'NotFound', 'Not found');
  }
}

export async function startFakeSts(options: FakeStsOptions = {}): Promise<FakeSts> {
  const account = options.account ?? '123456789012';
  const identity = {
    UserId: options.userId ?? 'AROATESTTESTTESTTEST:dualnova',
    Account: account,
    Arn: options.arn ?? `arn:aws:sts::${account}:assumed-role/dualnova-task/dualnova`,
  };
  const requests: RecordedAwsRequest[] = [];
  const table = new FaultTable();
  const server = await startHttpFakeServer(async (exchange) => {
    const form = Object.fromEntries(new URLSearchParams(exchange.rawBody));
    const action = form.Action ?? '';
    const request: RecordedAwsRequest = {
      action,
      method: exchange.method,
      path: exchange.path,
      headers: exchange.headers,
      body: form,
      rawBody: exchange.rawBody,
      ...signingScope(exchange.headers),
      time: Date.now(),
    };
    requests.push(request);
    if (exchange.method !== 'POST' || !(exchange.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return errorReply(400, 'InvalidAction', 'expected a form-encoded POST (query protocol)');
    }
    if (form.Version !== '2011-06-15') return errorReply(400, 'InvalidAction', `unsupported Version ${form.Version ?? '(none)'}`);
    const scripted = await applyScript(table, request, renderFault, (_status, body) =>
      resultReply(action, body as Record<string, unknown>),
    );
    if (scripted) return scripted;
    if (action === 'GetCallerIdentity') return resultReply(action, identity);
    return errorReply(400, 'InvalidAction', `The fake does not implement ${action}`);
  });
  return { url: server.url, ...controlsFrom(table, requests, server.hanging), close: () => server.close() };
}
