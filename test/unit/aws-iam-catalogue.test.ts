import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueEntry, IAM_CATALOGUE } from '../../src/aws/iam-catalogue.js';
import {
  ACCOUNT_PLACEHOLDER,
  iamPolicyDocument,
  iamPolicyStatements,
  modelResources,
  secretResourceArn,
  statementsForActions,
  type IamPolicyInput,
} from '../../src/aws/iam-policy.js';
import { describeAwsError, parseDeniedAction } from '../../src/errors/aws.js';
import { ROOT } from '../helpers/server-process.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|mjs)$/.test(entry) ? [full] : [];
  });
}

const FULL: IamPolicyInput = {
  region: 'us-east-1',
  accountId: '123456789012',
  fastModelId: 'us.amazon.nova-micro-v1:0',
  detailModelId: 'us.amazon.nova-pro-v1:0',
  knowledgeBaseId: 'KB12345678',
  settingsSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dualnova/prod/settings-AbCdEf',
  alarmNamePrefix: 'dualnova-prod-',
  metricsNamespace: 'Dualnova/App',
};

describe('the IAM catalogue', () => {
  it('covers every SDK command constructed anywhere in src/', () => {
    const used = new Map<string, string[]>();
    for (const file of sourceFiles(path.join(ROOT, 'src'))) {
      // Comments may quote a command (`new XxxCommand(`) without sending it.
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const match of code.matchAll(/new\s+([A-Z][A-Za-z0-9]*Command)\s*\(/g)) {
        const name = match[1] ?? '';
        used.set(name, [...(used.get(name) ?? []), path.relative(ROOT, file)]);
      }
    }
    // The scan must see the app's real calls, or it proves nothing.
    expect([...used.keys()]).toEqual(
      expect.arrayContaining([
        'ConverseStreamCommand',
        'RetrieveCommand',
        'ListMetricsCommand',
        'GetCallerIdentityCommand',
        'GetSecretValueCommand',
      ]),
    );
    const missing = [...used.entries()]
      .filter(([name]) => catalogueEntry(name) === undefined)
      .map(([name, files]) => `${name} (in ${files.join(', ')})`);
    expect(missing, 'commands sent by src/ without an IAM catalogue entry (add them to src/aws/iam-catalogue.ts)').toEqual([]);
  });

  it('lists the commands the usage reader and alarms will send, and notes that STS identity needs no permission', () => {
    for (const command of [
      'GetMetricDataCommand',
      'ListMetricsCommand',
      'DescribeAlarmsCommand',
      'PutMetricAlarmCommand',
      'DeleteAlarmsCommand',
      'ConverseCommand',
      'ConverseStreamCommand',
      'RetrieveCommand',
      'GetSecretValueCommand',
      'DescribeSecretCommand',
      'GetFoundationModelCommand',
      'GetInferenceProfileCommand',
      'GetKnowledgeBaseCommand',
    ]) {
      expect(catalogueEntry(command)?.actions.length, command).toBeGreaterThan(0);
    }
    expect(IAM_CATALOGUE.GetCallerIdentityCommand).toMatchObject({ actions: [], scope: 'none' });
    expect(IAM_CATALOGUE.GetCallerIdentityCommand.note).toMatch(/no IAM permission/);
  });

  it('grants every catalogued action somewhere in the full policy', () => {
    // A base model id (not a profile) brings in GetFoundationModel.
    const granted = new Set(
      [FULL, { ...FULL, detailModelId: 'amazon.titan-text-express-v1' }]
        .flatMap((input) => iamPolicyStatements(input))
        .flatMap((s) => s.Action),
    );
    const actions = Object.values(IAM_CATALOGUE).flatMap((entry) => entry.actions);
    expect(actions.filter((a) => !granted.has(a))).toEqual([]);
  });
});

describe('iamPolicyStatements', () => {
  const statements = iamPolicyStatements(FULL);
  const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));

  it('scopes Bedrock to the configured profiles and their foundation models, never *', () => {
    expect(bySid.InvokeModels).toEqual({
      Sid: 'InvokeModels',
      Effect: 'Allow',
      Action: ['bedrock:InvokeModelWithResponseStream', 'bedrock:InvokeModel'],
      Resource: [
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0',
        'arn:aws:bedrock:*::foundation-model/amazon.nova-micro-v1:0',
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0',
        'arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0',
      ],
    });
    expect(bySid.ReadInferenceProfiles?.Resource).toEqual([
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0',
    ]);
    expect(bySid.KnowledgeBase).toMatchObject({
      Action: ['bedrock:Retrieve', 'bedrock:GetKnowledgeBase'],
      Resource: ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678'],
    });
    for (const statement of statements.filter((s) => s.Action.some((a) => a.startsWith('bedrock:')))) {
      expect(
        statement.Resource.every((r) => r !== '*' && !r.endsWith('/*')),
        statement.Sid,
      ).toBe(true);
    }
  });

  it('uses * only where IAM has no resource-level permissions, and pins PutMetricData to the namespace', () => {
    const unscoped = statements.filter((s) => s.Resource.includes('*'));
    expect(unscoped.map((s) => s.Sid)).toEqual(['ReadBedrockMetrics', 'PublishAppMetrics']);
    expect(bySid.ReadBedrockMetrics).toEqual({
      Sid: 'ReadBedrockMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
      Resource: ['*'],
    });
    expect(bySid.PublishAppMetrics).toMatchObject({
      Action: ['cloudwatch:PutMetricData'],
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Dualnova/App' } },
    });
    expect(bySid.ManageAppAlarms).toEqual({
      Sid: 'ManageAppAlarms',
      Effect: 'Allow',
      Action: ['cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
      Resource: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:dualnova-prod-*'],
    });
    expect(bySid.ReadSettingsSecret).toMatchObject({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: [FULL.settingsSecretArn],
    });
    expect(statements.flatMap((s) => s.Action)).not.toContain('sts:GetCallerIdentity');
  });

  it('leaves out what is not configured, and uses Sids IAM accepts', () => {
    const minimal = iamPolicyStatements({
      region: 'eu-west-1',
      accountId: ACCOUNT_PLACEHOLDER,
      fastModelId: 'eu.amazon.nova-micro-v1:0',
      detailModelId: 'eu.amazon.nova-micro-v1:0',
      alarmNamePrefix: 'dualnova-',
    });
    expect(minimal.map((s) => s.Sid)).toEqual(['InvokeModels', 'ReadInferenceProfiles', 'ReadBedrockMetrics', 'ManageAppAlarms']);
    expect(minimal[0]?.Resource).toEqual([
      'arn:aws:bedrock:eu-west-1:${AWS::AccountId}:inference-profile/eu.amazon.nova-micro-v1:0',
      'arn:aws:bedrock:*::foundation-model/amazon.nova-micro-v1:0',
    ]);
    for (const s of [...minimal, ...statements]) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
    expect(iamPolicyDocument(minimal).Version).toBe('2012-10-17');
  });

  it('handles base model ids, ARNs, other partitions and secret names', () => {
    expect(modelResources('amazon.titan-text-express-v1', 'us-west-2', '1')).toEqual({
      invoke: ['arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1'],
      profiles: [],
      foundationModels: ['arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1'],
    });
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0';
    expect(modelResources(arn, 'us-east-1', '1').invoke).toEqual([arn, 'arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0']);
    expect(modelResources('apac.amazon.nova-pro-v1:0', 'cn-north-1', '1').profiles).toEqual([
      'arn:aws-cn:bedrock:cn-north-1:1:inference-profile/apac.amazon.nova-pro-v1:0',
    ]);
    expect(secretResourceArn('dualnova/prod/settings', 'eu-west-1', '123456789012')).toBe(
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dualnova/prod/settings-??????',
    );
    expect(secretResourceArn(FULL.settingsSecretArn ?? '', 'us-east-1', 'x')).toBe(FULL.settingsSecretArn);
    expect(secretResourceArn('arn:aws:secretsmanager:us-east-1:1:secret:name', 'us-east-1', 'x')).toBe(
      'arn:aws:secretsmanager:us-east-1:1:secret:name-??????',
    );
    // From the CDK: a bare token stands for a complete ARN; a partial ARN with tokens gets the suffix.
    expect(secretResourceArn('${Token[TOKEN.123]}', 'us-east-1', 'x')).toBe('${Token[TOKEN.123]}');
    expect(
      secretResourceArn(
        'arn:${Token[AWS.Partition.1]}:secretsmanager:us-east-1:${Token[AWS.AccountId.2]}:secret:dualnova/dev/settings',
        'us-east-1',
        'x',
      ),
    ).toBe('arn:${Token[AWS.Partition.1]}:secretsmanager:us-east-1:${Token[AWS.AccountId.2]}:secret:dualnova/dev/settings-??????');
  });

  it('cuts the policy down to the statements that grant given actions (doctor fixes)', () => {
    expect(statementsForActions(['cloudwatch:DescribeAlarms'], FULL)).toEqual([
      {
        Sid: 'ManageAppAlarms',
        Effect: 'Allow',
        Action: ['cloudwatch:DescribeAlarms'],
        Resource: ['arn:aws:cloudwatch:us-east-1:123456789012:alarm:dualnova-prod-*'],
      },
    ]);
    expect(statementsForActions(['bedrock:Retrieve'], FULL)).toEqual([
      {
        Sid: 'KnowledgeBase',
        Effect: 'Allow',
        Action: ['bedrock:Retrieve'],
        Resource: ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678'],
      },
    ]);
    expect(statementsForActions(['kms:Decrypt'], FULL)).toEqual([]);
  });
});

describe('AWS error classification', () => {
  it('reads the refused action from AccessDenied messages', () => {
    expect(
      parseDeniedAction(
        'User: arn:aws:sts::1:assumed-role/r/s is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action',
      ),
    ).toBe('cloudwatch:GetMetricData');
    expect(parseDeniedAction('… with an explicit deny in a service control policy … allows the bedrock:Retrieve action')).toBe(
      'bedrock:Retrieve',
    );
    expect(parseDeniedAction("You don't have access to the model with the specified model ID.")).toBeUndefined();
  });

  it.each([
    [
      { name: 'AccessDenied', message: 'x is not authorized to perform: cloudwatch:ListMetrics', $metadata: { httpStatusCode: 403 } },
      'denied',
      'denied',
    ],
    [{ name: 'InvalidClientTokenId', message: 'bad token', $metadata: { httpStatusCode: 403 } }, 'credentials', 'denied'],
    [{ name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' }, 'no-credentials', 'unconfigured'],
    [{ name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }, 'throttled', 'degraded'],
    [{ name: 'ResourceNotFoundException', message: 'nope', $metadata: { httpStatusCode: 404 } }, 'not-found', 'error'],
    [{ name: 'InternalServiceError', message: 'boom', $metadata: { httpStatusCode: 500 } }, 'server', 'error'],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'unreachable', 'unreachable'],
    [{ name: 'TimeoutError', message: 'Request timed out' }, 'unreachable', 'unreachable'],
  ])('%o → %s', (error, kind, state) => {
    expect(describeAwsError(error)).toMatchObject({ kind, state });
  });

  it('says when our own deadline passed', () => {
    expect(describeAwsError({ name: 'AbortError', message: 'Request aborted' }, { timedOut: true, timeoutMs: 250 })).toMatchObject({
      kind: 'timeout',
      state: 'unreachable',
      summary: 'no answer within 250 ms',
    });
  });
});
