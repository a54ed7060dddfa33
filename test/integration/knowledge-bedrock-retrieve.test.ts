import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BedrockKbRetriever } from '../../src/knowledge/bedrock-kb-retriever.js';
import { RetrievalError } from '../../src/knowledge/types.js';
import { startFakeAgentRuntime, type AgentRuntimeFault, type FakeAgentRuntime } from '../fakes/bedrock-agent-runtime.js';

const KB_ID = 'KBSTARFALL';

describe('BedrockKbRetriever against a wire-level fake Retrieve API', () => {
  let fake: FakeAgentRuntime;
  let client: BedrockAgentRuntimeClient;

  beforeAll(async () => {
    fake = await startFakeAgentRuntime({
      knowledgeBaseIds: [KB_ID],
      results: [
        { text: 'Within 7 days of purchase, unused products can be refunded.', uri: 's3://starfall-kb/en/refund-policy.md', score: 0.91 },
        { text: '결제 후 7일 이내 환불할 수 있습니다.', uri: 's3://starfall-kb/ko/%ED%99%98%EB%B6%88.md', score: 0.74 },
        { text: 'Maintenance is every Wednesday.', uri: 's3://starfall-kb/en/maintenance.txt', score: 0.5 },
      ],
    });
    // The default client: HTTP/2 (h2c against an http:// endpoint), as the app builds it.
    client = new BedrockAgentRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  beforeEach(() => {
    fake.setFault(null);
    fake.requests.length = 0;
  });

  it('maps results: title from the S3 object name, uri kept, score', async () => {
    const retriever = new BedrockKbRetriever(client, KB_ID);
    const docs = await retriever.retrieve('refund window');
    expect(docs.map((d) => [d.title, d.uri, d.score])).toEqual([
      ['refund-policy', 's3://starfall-kb/en/refund-policy.md', 0.91],
      ['환불', 's3://starfall-kb/ko/%ED%99%98%EB%B6%88.md', 0.74],
      ['maintenance', 's3://starfall-kb/en/maintenance.txt', 0.5],
    ]);
    expect(docs[0]?.content).toBe('Within 7 days of purchase, unused products can be refunded.');
    expect(docs[0]?.excerpt).toBe('Within 7 days of purchase, unused products can be refunded.');
    expect(new Set(docs.map((d) => d.id)).size).toBe(3);
    expect(retriever.source).toBe('bedrock-kb');

    const [request] = fake.requests;
    expect(request?.httpVersion).toBe('2');
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe(`/knowledgebases/${KB_ID}/retrieve`);
    expect(request?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=test\//u);
    expect(request?.body).toEqual({
      retrievalQuery: { text: 'refund window' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 5 } },
    });
  });

  it('sends numberOfResults from the constructor, or the per-call limit', async () => {
    const retriever = new BedrockKbRetriever(client, KB_ID, { numberOfResults: 2 });
    expect(await retriever.retrieve('refund')).toHaveLength(2);
    expect(await retriever.retrieve('refund', { limit: 1 })).toHaveLength(1);
    expect(
      fake.requests.map(
        (r) =>
          (r.body as { retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: number } } }).retrievalConfiguration
            .vectorSearchConfiguration.numberOfResults,
      ),
    ).toEqual([2, 1]);
  });

  it('makes no call for an empty query', async () => {
    expect(await new BedrockKbRetriever(client, KB_ID).retrieve('   ')).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  it('also works with an HTTP/1.1 client (NodeHttpHandler)', async () => {
    const http1 = new BedrockAgentRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
    });
    try {
      const docs = await new BedrockKbRetriever(http1, KB_ID, 1).retrieve('refund');
      expect(docs.map((d) => d.title)).toEqual(['refund-policy']);
      expect(fake.requests[0]?.httpVersion).toBe('1.1');
    } finally {
      http1.destroy();
    }
  });

  const cases: [AgentRuntimeFault, RetrievalError['code'], string, RegExp][] = [
    ['access-denied', 'denied', 'AccessDeniedException', /bedrock:Retrieve/u],
    ['throttling', 'throttled', 'ThrottlingException', /throttl/iu],
    ['server-error', 'unavailable', 'InternalServerException', /HTTP 500/u],
    ['not-found', 'not_found', 'ResourceNotFoundException', /KBSTARFALL/u],
    ['validation', 'invalid_request', 'ValidationException', /rejected/u],
  ];

  it.each(cases)('fault %s → RetrievalError %s', async (fault, code, errorType, message) => {
    fake.setFault(fault);
    const error = await new BedrockKbRetriever(client, KB_ID).retrieve('refund').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetrievalError);
    const retrievalError = error as RetrievalError;
    expect(retrievalError.code).toBe(code);
    expect(retrievalError.message).toMatch(message);
    expect(retrievalError.detail).toContain(errorType);
  });

  it('reports an unknown knowledge base id as not_found', async () => {
    const error = await new BedrockKbRetriever(client, 'KBMISSING1').retrieve('refund').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_found' });
    expect((error as RetrievalError).message).toContain('KBMISSING1');
  });

  it('recovers when throttling clears before the SDK gives up retrying', async () => {
    fake.setFault('throttling', { times: 1 });
    const docs = await new BedrockKbRetriever(client, KB_ID).retrieve('refund');
    expect(docs).toHaveLength(3);
    expect(fake.requests).toHaveLength(2);
  });

  it('maps a dropped connection to unavailable', async () => {
    fake.setFault({ type: 'reset' });
    const noRetry = new BedrockAgentRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const error = await new BedrockKbRetriever(noRetry, KB_ID).retrieve('refund').catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'RetrievalError', code: 'unavailable' });
    } finally {
      noRetry.destroy();
    }
  });

  it('passes the AbortSignal to the SDK: aborting a slow call rejects as cancelled', async () => {
    fake.setFault({ type: 'delay', ms: 2_000 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = new BedrockKbRetriever(client, KB_ID).retrieve('refund', { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 100);
    const error = await pending;
    expect(error).toMatchObject({ name: 'RetrievalError', code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
