/**
 * A wire-level fake of the Amazon Bedrock control plane (`bedrock`: GetInferenceProfile,
 * GetFoundationModel) and of Bedrock Agent (`bedrock-agent`: GetKnowledgeBase), both restJson1,
 * for the real SDK v3 clients, on 127.0.0.1. One instance serves both; point
 * AWS_ENDPOINT_URL_BEDROCK and AWS_ENDPOINT_URL_BEDROCK_AGENT at it (or at two instances).
 * Errors: `x-amzn-errortype` header plus `{"message"}`, like the service.
 *
 * Defaults: every system-defined Nova profile id (`us.amazon.nova-pro-v1:0`...) is ACTIVE; base
 * Nova ids exist but support only INFERENCE_PROFILE invocation; any 10-character knowledge base id
 * is ACTIVE. Anything else is 404 ResourceNotFoundException.
 */
import {
  accessDeniedMessage,
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

export interface FakeKnowledgeBase {
  name?: string;
  status?: 'CREATING' | 'ACTIVE' | 'DELETING' | 'UPDATING' | 'FAILED' | 'DELETE_UNSUCCESSFUL';
  failureReasons?: string[];
}

export interface FakeFoundationModel {
  inferenceTypesSupported?: Array<'ON_DEMAND' | 'PROVISIONED' | 'INFERENCE_PROFILE'>;
  lifecycle?: 'ACTIVE' | 'LEGACY';
}

export interface FakeBedrockControlOptions {
  region?: string;
  accountId?: string;
  /** Knowledge bases that exist (by id); default: any 10-character id, ACTIVE. */
  knowledgeBases?: Record<string, FakeKnowledgeBase>;
  /** Base model ids that exist; default: the Nova models (profile-only) and amazon.titan-text-express-v1 (on demand). */
  foundationModels?: Record<string, FakeFoundationModel>;
  /** Profile ids that exist, with their status; default: every `us.`/`eu.`/`apac.`/`global.` id of a known base model, ACTIVE. */
  inferenceProfiles?: Record<string, 'ACTIVE'>;
}

export interface FakeBedrockControl extends FaultControls {
  url: string;
  close(): Promise<void>;
}

const ROUTES: Array<{ action: string; pattern: RegExp }> = [
  { action: 'GetInferenceProfile', pattern: /^\/inference-profiles\/([^/]+)$/ },
  { action: 'GetFoundationModel', pattern: /^\/foundation-models\/([^/]+)$/ },
  { action: 'GetKnowledgeBase', pattern: /^\/knowledgebases\/([^/]+)\/?$/ },
];

const DEFAULT_MODELS: Record<string, FakeFoundationModel> = {
  'amazon.nova-micro-v1:0': { inferenceTypesSupported: ['INFERENCE_PROFILE'] },
  'amazon.nova-lite-v1:0': { inferenceTypesSupported: ['INFERENCE_PROFILE'] },
  'amazon.nova-pro-v1:0': { inferenceTypesSupported: ['INFERENCE_PROFILE'] },
  'amazon.nova-premier-v1:0': { inferenceTypesSupported: ['INFERENCE_PROFILE'] },
  'amazon.titan-text-express-v1': { inferenceTypesSupported: ['ON_DEMAND'] },
};

const GEOGRAPHY_REGIONS: Record<string, string[]> = {
  us: ['us-east-1', 'us-east-2', 'us-west-2'],
  eu: ['eu-central-1', 'eu-west-1', 'eu-west-3'],
  apac: ['ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2'],
  global: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
};

function jsonReply(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function errorReply(status: number, type: string, message: string): HttpReply {
  return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': type }, body: JSON.stringify({ message }) };
}

function renderFault(fault: NamedFault | { status: number; code: string; message?: string }, request: RecordedAwsRequest): HttpReply {
  if (typeof fault === 'object') return errorReply(fault.status, fault.code, fault.message ?? fault.code);
  switch (fault) {
    case 'access-denied':
      return errorReply(403, 'AccessDeniedException', accessDeniedMessage(`bedrock:${request.action}`));
    case 'invalid-credentials':
      return errorReply(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'throttling':
      return errorReply(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    case 'server-error':
      return errorReply(500, 'InternalServerException', 'Internal server error');
    default:
      return errorReply(404, 'ResourceNotFoundException', 'The specified resource was not found.');
  }
}

export async function startFakeBedrockControl(options: FakeBedrockControlOptions = {}): Promise<FakeBedrockControl> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const models = options.foundationModels ?? DEFAULT_MODELS;
  const requests: RecordedAwsRequest[] = [];
  const table = new FaultTable();
  const iso = new Date('2025-01-01T00:00:00Z').toISOString();

  const inferenceProfile = (id: string): HttpReply => {
    const plainId = id.startsWith('arn:') ? (id.split('/').pop() ?? id) : id;
    const match = /^([a-z-]+)\.(.+)$/.exec(plainId);
    const geography = match?.[1] ?? '';
    const base = match?.[2] ?? '';
    const status = options.inferenceProfiles
      ? options.inferenceProfiles[plainId]
      : GEOGRAPHY_REGIONS[geography] && models[base]
        ? 'ACTIVE'
        : undefined;
    if (!status) return errorReply(404, 'ResourceNotFoundException', `Inference profile ${plainId} not found.`);
    const routes = GEOGRAPHY_REGIONS[geography] ?? [region];
    return jsonReply(200, {
      inferenceProfileName: `${geography.toUpperCase()} ${base}`,
      inferenceProfileArn: `arn:aws:bedrock:${region}:${accountId}:inference-profile/${plainId}`,
      inferenceProfileId: plainId,
      models: routes.map((r) => ({ modelArn: `arn:aws:bedrock:${r}::foundation-model/${base}` })),
      status,
      type: 'SYSTEM_DEFINED',
      createdAt: iso,
      updatedAt: iso,
    });
  };

  const foundationModel = (id: string): HttpReply => {
    const model = models[id];
    if (!model) return errorReply(404, 'ResourceNotFoundException', `Model ${id} not found.`);
    return jsonReply(200, {
      modelDetails: {
        modelArn: `arn:aws:bedrock:${region}::foundation-model/${id}`,
        modelId: id,
        modelName: id,
        providerName: 'Amazon',
        inputModalities: ['TEXT'],
        outputModalities: ['TEXT'],
        responseStreamingSupported: true,
        inferenceTypesSupported: model.inferenceTypesSupported ?? ['ON_DEMAND'],
        modelLifecycle: { status: model.lifecycle ?? 'ACTIVE' },
      },
    });
  };

  const knowledgeBase = (id: string): HttpReply => {
    const known = options.knowledgeBases ? options.knowledgeBases[id] : /^[0-9A-Za-z]{10}$/.test(id) ? {} : undefined;
    if (!known) return errorReply(404, 'ResourceNotFoundException', `Knowledge base ${id} not found.`);
    return jsonReply(200, {
      knowledgeBase: {
        knowledgeBaseId: id,
        name: known.name ?? `kb-${id.toLowerCase()}`,
        knowledgeBaseArn: `arn:aws:bedrock:${region}:${accountId}:knowledge-base/${id}`,
        roleArn: `arn:aws:iam::${accountId}:role/kb-role`,
        knowledgeBaseConfiguration: {
          type: 'VECTOR',
          vectorKnowledgeBaseConfiguration: {
            embeddingModelArn: `arn:aws:bedrock:${region}::foundation-model/amazon.titan-embed-text-v2:0`,
          },
        },
        status: known.status ?? 'ACTIVE',
        ...(known.failureReasons ? { failureReasons: known.failureReasons } : {}),
        createdAt: iso,
        updatedAt: iso,
      },
    });
  };

  const server = await startHttpFakeServer(async (exchange) => {
    const pathOnly = exchange.path.split('?')[0] ?? '';
    const route = ROUTES.map((r) => ({ action: r.action, match: r.pattern.exec(pathOnly) })).find((r) => r.match);
    const action = route?.action ?? '';
    const id = route?.match?.[1] ? decodeURIComponent(route.match[1]) : '';
    const request: RecordedAwsRequest = {
      action,
      method: exchange.method,
      path: exchange.path,
      headers: exchange.headers,
      body: { id },
      rawBody: exchange.rawBody,
      ...signingScope(exchange.headers),
      time: Date.now(),
    };
    requests.push(request);
    if (exchange.method !== 'GET' || !route)
      return errorReply(404, 'UnknownOperationException', `No operation at ${exchange.method} ${exchange.path}`);
    const scripted = await applyScript(table, request, renderFault, (status, body) => jsonReply(status, body));
    if (scripted) return scripted;
    if (action === 'GetInferenceProfile') return inferenceProfile(id);
    if (action === 'GetFoundationModel') return foundationModel(id);
    return knowledgeBase(id);
  });

  return { url: server.url, ...controlsFrom(table, requests, server.hanging), close: () => server.close() };
}
