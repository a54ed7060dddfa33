/**
 * The wire-level AWS fakes against the real SDK v3 clients, and the standard endpoint variables:
 * every client is built without an `endpoint` and finds its fake through AWS_ENDPOINT_URL_<SERVICE>
 * (the names come from each client's serviceId, upper-cased with spaces as underscores:
 * @smithy/core getEndpointUrlConfig).
 */
import { BedrockClient, GetFoundationModelCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import { BedrockAgentClient, GetKnowledgeBaseCommand } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  paginateListMetrics,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAgentRuntime, type FakeAgentRuntime } from '../fakes/bedrock-agent-runtime.js';
import { startFakeBedrockControl, type FakeBedrockControl } from '../fakes/bedrock-control.js';
import { startFakeBedrockRuntime, type FakeBedrockRuntime } from '../fakes/bedrock-runtime.js';
import { bedrockMetrics, startFakeCloudWatch, type FakeCloudWatch } from '../fakes/cloudwatch.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../fakes/secrets-manager.js';
import { startFakeSts, type FakeSts } from '../fakes/sts.js';
import { setEnv } from '../helpers/aws-app.js';

const credentials = { accessKeyId: 'AKIATESTTESTTEST', secretAccessKey: 'test-secret-key' };
const region = 'us-east-1';

let cloudwatch: FakeCloudWatch;
let sts: FakeSts;
let secrets: FakeSecretsManager;
let control: FakeBedrockControl;
let runtime: FakeBedrockRuntime;
let agentRuntime: FakeAgentRuntime;
let restoreEnv: () => void;

beforeAll(async () => {
  [cloudwatch, sts, secrets, control, runtime, agentRuntime] = await Promise.all([
    startFakeCloudWatch({ metrics: bedrockMetrics(['us.amazon.nova-micro-v1:0', 'us.amazon.nova-pro-v1:0']), pageSize: 4 }),
    startFakeSts({ account: '111122223333' }),
    startFakeSecretsManager({ secrets: [{ name: 'dualnova/test/settings', secretString: '{"RETRIEVE_TOP_K":"3"}' }] }),
    startFakeBedrockControl(),
    startFakeBedrockRuntime(),
    startFakeAgentRuntime(),
  ]);
  restoreEnv = setEnv({
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    AWS_ENDPOINT_URL_BEDROCK: control.url,
    AWS_ENDPOINT_URL_BEDROCK_AGENT: control.url,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: runtime.url,
    AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: agentRuntime.url,
  });
});
afterAll(async () => {
  restoreEnv?.();
  await Promise.all([cloudwatch?.close(), sts?.close(), secrets?.close(), control?.close(), runtime?.close(), agentRuntime?.close()]);
});
afterEach(() => {
  for (const fake of [cloudwatch, sts, secrets, control]) fake.reset();
});

describe('AWS_ENDPOINT_URL_<SERVICE> reaches each fake through the real client', () => {
  it('CloudWatch (AWS_ENDPOINT_URL_CLOUDWATCH), JSON 1.0 with x-amz-target', async () => {
    const client = new CloudWatchClient({ region, credentials });
    const out = await client.send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }));
    expect(out.Metrics).toHaveLength(4);
    const [request] = cloudwatch.requests;
    expect(request).toMatchObject({
      action: 'ListMetrics',
      region,
      signingService: 'monitoring',
      accessKeyId: 'AKIATESTTESTTEST',
      body: { Namespace: 'AWS/Bedrock' },
    });
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.headers['x-amz-target']).toBe('GraniteServiceVersion20100801.ListMetrics');
    expect(request?.headers['x-amzn-query-mode']).toBe('true');
    client.destroy();
  });

  it('STS (AWS_ENDPOINT_URL_STS), query protocol with an XML answer', async () => {
    const client = new STSClient({ region, credentials });
    const out = await client.send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: '111122223333', Arn: 'arn:aws:sts::111122223333:assumed-role/dualnova-task/dualnova' });
    expect(sts.requests[0]).toMatchObject({
      action: 'GetCallerIdentity',
      body: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      signingService: 'sts',
    });
    client.destroy();
  });

  it('Secrets Manager (AWS_ENDPOINT_URL_SECRETS_MANAGER), JSON 1.1, by name and by ARN', async () => {
    const client = new SecretsManagerClient({ region, credentials });
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'dualnova/test/settings' }));
    expect(byName.SecretString).toBe('{"RETRIEVE_TOP_K":"3"}');
    const arn = secrets.arnOf('dualnova/test/settings') ?? '';
    expect(arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:dualnova\/test\/settings-[A-Za-z0-9]{6}$/);
    const described = await client.send(new DescribeSecretCommand({ SecretId: arn }));
    expect(described).toMatchObject({ ARN: arn, Name: 'dualnova/test/settings' });
    expect(described.LastChangedDate).toBeInstanceOf(Date);
    expect(secrets.requests.map((r) => r.headers['x-amz-target'])).toEqual([
      'secretsmanager.GetSecretValue',
      'secretsmanager.DescribeSecret',
    ]);
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    client.destroy();
  });

  it('Bedrock control plane (AWS_ENDPOINT_URL_BEDROCK) and Bedrock Agent (AWS_ENDPOINT_URL_BEDROCK_AGENT), REST JSON', async () => {
    const bedrock = new BedrockClient({ region, credentials });
    const profile = await bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.amazon.nova-pro-v1:0' }));
    expect(profile).toMatchObject({ status: 'ACTIVE', type: 'SYSTEM_DEFINED', inferenceProfileId: 'us.amazon.nova-pro-v1:0' });
    expect(profile.models?.map((m) => m.modelArn)).toContain('arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-pro-v1:0');
    expect(profile.createdAt).toBeInstanceOf(Date);
    const model = await bedrock.send(new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-micro-v1:0' }));
    expect(model.modelDetails?.inferenceTypesSupported).toEqual(['INFERENCE_PROFILE']);
    await expect(bedrock.send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.amazon.nope-v9:0' }))).rejects.toMatchObject(
      { name: 'ResourceNotFoundException' },
    );
    const agent = new BedrockAgentClient({ region, credentials });
    const kb = await agent.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: 'KB12345678' }));
    expect(kb.knowledgeBase).toMatchObject({ knowledgeBaseId: 'KB12345678', status: 'ACTIVE' });
    expect(control.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /inference-profiles/us.amazon.nova-pro-v1%3A0',
      'GET /foundation-models/amazon.nova-micro-v1%3A0',
      'GET /inference-profiles/us.amazon.nope-v9%3A0',
      'GET /knowledgebases/KB12345678',
    ]);
    expect(control.requests.map((r) => r.signingService)).toEqual(['bedrock', 'bedrock', 'bedrock', 'bedrock']);
    bedrock.destroy();
    agent.destroy();
  });

  it('Bedrock runtime (AWS_ENDPOINT_URL_BEDROCK_RUNTIME) and agent runtime (AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME), h2c', async () => {
    const bedrockRuntime = new BedrockRuntimeClient({ region, credentials });
    const answer = await bedrockRuntime.send(
      new ConverseCommand({ modelId: 'us.amazon.nova-micro-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
    );
    expect(answer.output?.message?.content?.[0]?.text).toContain('us.amazon.nova-micro-v1:0');
    const agent = new BedrockAgentRuntimeClient({ region, credentials });
    const found = await agent.send(new RetrieveCommand({ knowledgeBaseId: 'KB12345678', retrievalQuery: { text: 'refund' } }));
    expect(found.retrievalResults?.length).toBeGreaterThan(0);
    expect(runtime.requests.at(-1)?.httpVersion).toBe('2.0');
    bedrockRuntime.destroy();
    agent.destroy();
  });
});

describe('the CloudWatch fake (reusable by the usage reader)', () => {
  const client = () => new CloudWatchClient({ region, credentials, maxAttempts: 3 });

  it('pages ListMetrics with NextToken', async () => {
    const pages: number[] = [];
    const names = new Set<string>();
    for await (const page of paginateListMetrics({ client: client() }, { Namespace: 'AWS/Bedrock', MetricName: 'InputTokenCount' })) {
      pages.push(page.Metrics?.length ?? 0);
      for (const m of page.Metrics ?? []) names.add(m.Dimensions?.find((d) => d.Name === 'ModelId')?.Value ?? '');
    }
    expect(pages).toEqual([2]);
    const all: number[] = [];
    for await (const page of paginateListMetrics({ client: client() }, { Namespace: 'AWS/Bedrock' })) all.push(page.Metrics?.length ?? 0);
    expect(all).toEqual([4, 4, 4, 4, 2]);
    expect(cloudwatch.requestsFor('ListMetrics').map((r) => (r.body as { NextToken?: string }).NextToken)).toEqual([
      undefined,
      undefined,
      'page-4',
      'page-8',
      'page-12',
      'page-16',
    ]);
    expect([...names].sort()).toEqual(['us.amazon.nova-micro-v1:0', 'us.amazon.nova-pro-v1:0']);
  });

  it('answers GetMetricData from stored datapoints: Ids, epoch-second timestamps (newest first), Values per Stat', async () => {
    const base = Math.floor(Date.UTC(2026, 0, 1, 12) / 1000);
    cloudwatch.putDatapoints([
      { metricName: 'InputTokenCount', dimensions: { ModelId: 'us.amazon.nova-pro-v1:0' }, timestamp: base + 10, value: 100 },
      { metricName: 'InputTokenCount', dimensions: { ModelId: 'us.amazon.nova-pro-v1:0' }, timestamp: base + 20, value: 50 },
      { metricName: 'InputTokenCount', dimensions: { ModelId: 'us.amazon.nova-pro-v1:0' }, timestamp: base + 3700, value: 7 },
      { metricName: 'InputTokenCount', dimensions: { ModelId: 'us.amazon.nova-micro-v1:0' }, timestamp: base + 30, value: 1000 },
    ]);
    const metric = (MetricName: string, modelId: string) => ({
      Namespace: 'AWS/Bedrock',
      MetricName,
      Dimensions: [{ Name: 'ModelId', Value: modelId }],
    });
    const out = await client().send(
      new GetMetricDataCommand({
        StartTime: new Date(base * 1000),
        EndTime: new Date((base + 7200) * 1000),
        MetricDataQueries: [
          { Id: 'proIn', MetricStat: { Metric: metric('InputTokenCount', 'us.amazon.nova-pro-v1:0'), Period: 3600, Stat: 'Sum' } },
          { Id: 'proMax', MetricStat: { Metric: metric('InputTokenCount', 'us.amazon.nova-pro-v1:0'), Period: 3600, Stat: 'Maximum' } },
          { Id: 'nothing', MetricStat: { Metric: metric('OutputTokenCount', 'us.amazon.nova-pro-v1:0'), Period: 3600, Stat: 'Sum' } },
        ],
      }),
    );
    const byId = Object.fromEntries((out.MetricDataResults ?? []).map((r) => [r.Id, r]));
    expect(byId.proIn?.Values).toEqual([7, 150]);
    expect(byId.proIn?.Timestamps?.map((t: Date) => t.getTime() / 1000)).toEqual([base + 3600, base]);
    expect(byId.proMax?.Values).toEqual([7, 100]);
    expect(byId.nothing).toMatchObject({ Values: [], StatusCode: 'Complete' });
    const sent = cloudwatch.requestsFor('GetMetricData')[0]?.body as { StartTime: unknown };
    expect(sent.StartTime).toBe(base);
  });

  it('creates, lists (MaxRecords paging) and deletes alarms', async () => {
    const cw = client();
    for (const name of ['dualnova-tokens', 'dualnova-throttles', 'other-alarm']) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          Namespace: 'AWS/Bedrock',
          MetricName: 'InputTokenCount',
          Statistic: 'Sum',
          Period: 3600,
          EvaluationPeriods: 1,
          Threshold: 1e6,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
    }
    cloudwatch.setAlarmState('dualnova-tokens', 'ALARM');
    const first = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'dualnova-', MaxRecords: 1 }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['dualnova-throttles']);
    const second = await cw.send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: 'dualnova-',
        MaxRecords: 1,
        ...(first.NextToken ? { NextToken: first.NextToken } : {}),
      }),
    );
    expect(second.MetricAlarms?.[0]).toMatchObject({ AlarmName: 'dualnova-tokens', StateValue: 'ALARM', Threshold: 1e6 });
    expect(second.MetricAlarms?.[0]?.StateUpdatedTimestamp).toBeInstanceOf(Date);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['dualnova-tokens'] }));
    expect([...cloudwatch.alarms().keys()].sort()).toEqual(['dualnova-throttles', 'other-alarm']);
    await expect(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['dualnova-tokens'] }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
  });

  it('injects AccessDenied the way CloudWatch words it, with x-amzn-query-error', async () => {
    cloudwatch.fault('ListMetrics', 'access-denied');
    const error = await client()
      .send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }))
      .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } });
    expect(error).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toContain('is not authorized to perform: cloudwatch:ListMetrics');
    expect(cloudwatch.requests).toHaveLength(1);
  });

  it('throttling is retried by the SDK (one fault, then success); a persistent 500 is retried and surfaces', async () => {
    cloudwatch.fault('ListMetrics', 'throttling', { times: 1 });
    await expect(client().send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }))).resolves.toBeDefined();
    expect(cloudwatch.requestsFor('ListMetrics')).toHaveLength(2);
    cloudwatch.reset();
    cloudwatch.fault('DescribeAlarms', 'server-error');
    await expect(client().send(new DescribeAlarmsCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(cloudwatch.requestsFor('DescribeAlarms')).toHaveLength(3);
  });

  it('hangs until the client gives up (abort signal)', async () => {
    cloudwatch.fault('*', 'hang');
    const started = Date.now();
    await expect(
      client().send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }), { abortSignal: AbortSignal.timeout(300) }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a parameter the API does not have (what the old ListMetrics(MaxRecords) call would meet)', async () => {
    const response = await fetch(cloudwatch.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' },
      body: JSON.stringify({ Namespace: 'AWS/Bedrock', MaxRecords: 1 }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-query-error')).toBe('ValidationError;Sender');
    expect(await response.text()).toContain('MaxRecords');
  });

  it('scripts a reply for one action', async () => {
    cloudwatch.script('ListMetrics', () => ({ body: { Metrics: [{ Namespace: 'AWS/Bedrock', MetricName: 'Scripted', Dimensions: [] }] } }));
    const out = await client().send(new ListMetricsCommand({ Namespace: 'AWS/Bedrock' }));
    expect(out.Metrics?.map((m) => m.MetricName)).toEqual(['Scripted']);
  });
});

describe('faults in the other fakes', () => {
  it('STS rejects the credentials as InvalidClientTokenId', async () => {
    sts.fault('GetCallerIdentity', 'invalid-credentials');
    const client = new STSClient({ region, credentials });
    await expect(client.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
    client.destroy();
  });

  it('Secrets Manager and Bedrock deny with the action in the message', async () => {
    secrets.fault('GetSecretValue', 'access-denied');
    control.fault('GetKnowledgeBase', 'access-denied');
    const sm = new SecretsManagerClient({ region, credentials });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'dualnova/test/settings' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('is not authorized to perform: secretsmanager:GetSecretValue'),
    });
    const agent = new BedrockAgentClient({ region, credentials });
    await expect(agent.send(new GetKnowledgeBaseCommand({ knowledgeBaseId: 'KB12345678' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('bedrock:GetKnowledgeBase'),
    });
    sm.destroy();
    agent.destroy();
  });
});
