/**
 * Every dependency state, end to end: the real SDK clients against the wire-level fakes (found
 * through AWS_ENDPOINT_URL_<SERVICE>), the real app in this process. For each state the test reads
 * the /api/status entries, runs `dualnova doctor` in-process, and checks that chat still answers
 * (every checked dependency here is optional for chat, or — the models' control plane — only
 * a check of a required one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DependencyStatus, StatusReport } from '../../src/contract/status.js';
import { runDoctor } from '../../src/cli/doctor.js';
import type { AwsFault } from '../fakes/aws-http-fake.js';
import { closedPort } from '../fakes/aws-http-fake.js';
import {
  answerText,
  captureIo,
  setEnv,
  SETTINGS_SECRET_NAME,
  startAwsFakes,
  startObservedApp,
  TEST_CREDENTIALS,
  type AwsFakes,
} from '../helpers/aws-app.js';

const MICRO = 'bedrock-runtime:us.amazon.nova-micro-v1:0';
const PRO = 'bedrock-runtime:us.amazon.nova-pro-v1:0';
const SETTINGS = { MODEL_PROVIDER: 'bedrock', KNOWLEDGE_BASE_ID: 'KB12345678', DUALNOVA_SETTINGS_SECRET: SETTINGS_SECRET_NAME };

let fakes: AwsFakes;
let restoreEnv: () => void;

beforeAll(async () => {
  fakes = await startAwsFakes();
  restoreEnv = setEnv({ ...TEST_CREDENTIALS, ...fakes.endpoints });
});
afterAll(async () => {
  restoreEnv?.();
  await fakes?.close();
});
afterEach(() => fakes.reset());

function faultEverything(fault: AwsFault): void {
  fakes.cloudwatch.fault('*', fault);
  fakes.sts.fault('*', fault);
  // Start-up reads the secret (GetSecretValue) and must succeed; the background check is DescribeSecret.
  fakes.secrets.fault('DescribeSecret', fault);
  fakes.control.fault('*', fault);
}

const find = (report: StatusReport, name: string): DependencyStatus => {
  const found = report.dependencies.find((d) => d.name === name);
  if (!found) throw new Error(`no dependency ${name} in ${report.dependencies.map((d) => d.name).join(', ')}`);
  return found;
};

async function doctor(settings: Record<string, string>, options: { strict?: boolean; json?: boolean } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-doctor-'));
  try {
    const capture = captureIo({ ...process.env, ...SETTINGS, LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...settings });
    const code = await runDoctor(options, capture.io);
    return { code, out: capture.out() };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The doctor table row of a dependency (its first line). */
function row(out: string, name: string): string {
  return out.split('\n').find((line) => line.startsWith(`${name} `)) ?? '';
}

async function expectChatAnswers(app: Awaited<ReturnType<typeof startObservedApp>>): Promise<void> {
  const events = await app.chat();
  expect(events.at(-1)?.event).toBe('done');
  expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
  expect(answerText(events)).toContain('Answer for us.amazon.nova-micro-v1:0');
}

describe('each state of the AWS dependencies, in /api/status, doctor and chat', () => {
  it('ok: every check passes', async () => {
    const app = await startObservedApp(SETTINGS);
    try {
      const status = await app.status();
      for (const name of ['database', MICRO, PRO, 'bedrock-agent-runtime', 'cloudwatch', 'secrets-manager', 'sts']) {
        expect(find(status, name).state, name).toBe('ok');
      }
      expect(find(status, 'sts').detail).toBe('account 123456789012 as arn:aws:sts::123456789012:assumed-role/dualnova-task/dualnova');
      expect(find(status, MICRO).detail).toContain('inference profile us.amazon.nova-micro-v1:0 is ACTIVE');
      expect(find(status, 'cloudwatch').checks?.map((c) => [c.action, c.state])).toEqual([
        ['cloudwatch:ListMetrics', 'ok'],
        ['cloudwatch:DescribeAlarms', 'ok'],
      ]);
      expect(find(status, MICRO)).toMatchObject({ required: true });
      expect(typeof find(status, 'cloudwatch').latencyMs).toBe('number');
      expect(Object.values(status.features).every((f) => f.available)).toBe(true);
      // The checks are typed, read-only and cheap: exactly these calls, once each.
      expect(fakes.cloudwatch.requests.map((r) => [r.action, r.body])).toEqual(
        expect.arrayContaining([
          ['ListMetrics', { Namespace: 'AWS/Bedrock' }],
          ['DescribeAlarms', { AlarmNamePrefix: 'dualnova-', AlarmTypes: ['MetricAlarm'], MaxRecords: 1 }],
        ]),
      );
      expect(fakes.control.requests.map((r) => r.action).sort()).toEqual([
        'GetInferenceProfile',
        'GetInferenceProfile',
        'GetKnowledgeBase',
      ]);
      expect(fakes.secrets.requests.map((r) => r.action)).toEqual(['GetSecretValue', 'DescribeSecret']);
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      await expectChatAnswers(app);
    } finally {
      await app.close();
    }
    const { code, out } = await doctor({});
    expect(code).toBe(0);
    expect(row(out, 'cloudwatch')).toMatch(/^cloudwatch\s+ok\s+\d+ ms\s+AWS\/Bedrock metrics readable/);
    expect(out).toContain('account 123456789012');
    expect(out).not.toContain('IAM statements');
    expect(out).toContain('Result: chat can be served.');
  });

  it('AccessDenied: denied, with the refused action parsed from the message and the IAM statement that fixes it', async () => {
    faultEverything('access-denied');
    const app = await startObservedApp(SETTINGS);
    try {
      const status = await app.status();
      expect(find(status, 'cloudwatch')).toMatchObject({
        state: 'denied',
        missingPermission: 'cloudwatch:ListMetrics',
        missingPermissions: ['cloudwatch:ListMetrics', 'cloudwatch:DescribeAlarms'],
      });
      expect(find(status, 'cloudwatch').fix).toContain('Allow cloudwatch:ListMetrics');
      expect(find(status, 'secrets-manager')).toMatchObject({ state: 'denied', missingPermission: 'secretsmanager:DescribeSecret' });
      expect(find(status, 'bedrock-agent-runtime')).toMatchObject({ state: 'denied', missingPermission: 'bedrock:GetKnowledgeBase' });
      expect(find(status, MICRO)).toMatchObject({ state: 'denied', missingPermission: 'bedrock:GetInferenceProfile' });
      expect(find(status, 'sts').state).toBe('denied');
      expect(status.features.tokenMonitoring).toEqual({
        available: false,
        reason: "CloudWatch metrics unavailable: missing cloudwatch:ListMetrics on the app's IAM role",
      });
      expect(status.features.alarms).toEqual({
        available: false,
        reason: "CloudWatch alarms unavailable: missing cloudwatch:DescribeAlarms on the app's IAM role",
      });
      // A refused status check does not prove the models or the knowledge base unusable.
      expect(status.features.chat.available).toBe(true);
      expect(status.features.chat.reason).toContain('model access not verified');
      expect(status.features.knowledgeBase).toEqual({
        available: true,
        reason:
          'Bedrock knowledge base denied (missing bedrock:GetKnowledgeBase); searches still try it first and fall back to the local knowledge base',
      });
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      await expectChatAnswers(app);
    } finally {
      await app.close();
    }
    const { code, out } = await doctor({});
    expect(code).toBe(0);
    expect(row(out, 'cloudwatch')).toMatch(/^cloudwatch\s+denied\s/);
    expect(out).toContain('missing permission: cloudwatch:ListMetrics, cloudwatch:DescribeAlarms');
    expect(out).toContain('# cloudwatch: cloudwatch:DescribeAlarms');
    expect(out).toContain(
      // STS was refused too, so the account id is the placeholder CloudFormation fills in.
      JSON.stringify(
        {
          Sid: 'ManageAppAlarms',
          Effect: 'Allow',
          Action: ['cloudwatch:DescribeAlarms'],
          Resource: ['arn:aws:cloudwatch:us-east-1:${AWS::AccountId}:alarm:dualnova-*'],
        },
        null,
        2,
      ),
    );
    expect(out).toContain('"Sid": "ReadBedrockMetrics"');
    expect(out).toContain('"arn:aws:bedrock:us-east-1:${AWS::AccountId}:knowledge-base/KB12345678"');
    expect(out).toContain('"Sid": "ReadSettingsSecret"');
    expect(out).toContain('sts:GetCallerIdentity needs no IAM permission');
    const strict = await doctor({}, { strict: true });
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('some dependencies are not ok (--strict)');
  });

  it('throttling: degraded once the SDK has retried and given up; features stay on', async () => {
    faultEverything('throttling');
    const settings = { ...SETTINGS, PROBE_TIMEOUT_MS: '1500' };
    const app = await startObservedApp(settings);
    try {
      const status = await app.status();
      for (const name of [MICRO, PRO, 'bedrock-agent-runtime', 'cloudwatch', 'secrets-manager', 'sts']) {
        expect(find(status, name).state, name).toBe('degraded');
      }
      expect(find(status, 'cloudwatch').detail).toContain('throttled');
      expect(status.features.tokenMonitoring.available).toBe(true);
      expect(status.features.alarms.available).toBe(true);
      await expectChatAnswers(app);
    } finally {
      await app.close();
    }
    const { code, out } = await doctor(settings);
    expect(code).toBe(0);
    expect(row(out, 'sts')).toMatch(/^sts\s+degraded\s/);
  });

  it('HTTP 500: error; chat keeps working', async () => {
    faultEverything('server-error');
    const app = await startObservedApp(SETTINGS);
    try {
      const status = await app.status();
      for (const name of [MICRO, PRO, 'bedrock-agent-runtime', 'cloudwatch', 'secrets-manager', 'sts']) {
        expect(find(status, name).state, name).toBe('error');
      }
      expect(find(status, 'cloudwatch').detail).toContain('HTTP 500');
      expect(status.features.tokenMonitoring).toMatchObject({
        available: false,
        reason: expect.stringContaining('CloudWatch metrics unavailable: error'),
      });
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      await expectChatAnswers(app);
    } finally {
      await app.close();
    }
    const { code, out } = await doctor({});
    expect(code).toBe(0);
    expect(row(out, 'bedrock-agent-runtime')).toMatch(/^bedrock-agent-runtime\s+error\s/);
  });

  it('unreachable (a closed port): unreachable, with the network fix; chat keeps working', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const restore = setEnv({
      AWS_ENDPOINT_URL_CLOUDWATCH: closed,
      AWS_ENDPOINT_URL_STS: closed,
      AWS_ENDPOINT_URL_BEDROCK: closed,
      AWS_ENDPOINT_URL_BEDROCK_AGENT: closed,
    });
    const settings = { MODEL_PROVIDER: 'bedrock', KNOWLEDGE_BASE_ID: 'KB12345678', DUALNOVA_SETTINGS_SECRET: '' };
    try {
      const app = await startObservedApp(settings);
      try {
        const status = await app.status();
        for (const name of [MICRO, PRO, 'bedrock-agent-runtime', 'cloudwatch', 'sts']) {
          const entry = find(status, name);
          expect(entry.state, name).toBe('unreachable');
          expect(entry.detail, name).toContain('ECONNREFUSED');
          expect(entry.fix, name).toContain('network path');
        }
        expect(find(status, 'secrets-manager').state).toBe('unconfigured');
        expect(status.features.tokenMonitoring.available).toBe(false);
        expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
        await expectChatAnswers(app);
      } finally {
        await app.close();
      }
      const { code, out } = await doctor(settings);
      expect(code).toBe(0);
      expect(row(out, 'cloudwatch')).toMatch(/^cloudwatch\s+unreachable\s/);
      expect(row(out, 'secrets-manager')).toMatch(/^secrets-manager\s+unconfigured\s/);
    } finally {
      restore();
    }
  });

  it('a hanging endpoint: the check gives up at PROBE_TIMEOUT_MS; status, readiness and chat never wait for it', async () => {
    faultEverything('hang');
    const settings = { ...SETTINGS, PROBE_TIMEOUT_MS: '600' };
    const app = await startObservedApp(settings, { waitForChecks: false });
    try {
      const started = performance.now();
      const early = await app.status();
      expect(performance.now() - started).toBeLessThan(300);
      expect(find(early, 'cloudwatch')).toMatchObject({ state: 'degraded', pending: true });
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
      await expectChatAnswers(app);
      await app.runtime.dependencies.refresh();
      const status = await app.status();
      for (const name of [MICRO, PRO, 'bedrock-agent-runtime', 'cloudwatch', 'secrets-manager', 'sts']) {
        const entry = find(status, name);
        expect(entry.state, name).toBe('unreachable');
        expect(entry.detail, name).toContain('no answer within 600 ms');
        expect(entry.latencyMs, name).toBeLessThan(1500);
      }
      expect(status.features.chat.available).toBe(true);
    } finally {
      await app.close();
    }
    const started = performance.now();
    const { code, out } = await doctor(settings);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(code).toBe(0);
    expect(row(out, 'sts')).toMatch(/^sts\s+unreachable\s/);
    expect(out).toContain('no answer within 600 ms');
  });

  it('no credentials: every AWS dependency is unconfigured, with how to enable it, and nothing AWS is called', async () => {
    const restore = setEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
    });
    const settings = { MODEL_PROVIDER: 'auto', KNOWLEDGE_BASE_ID: 'KB12345678', DUALNOVA_SETTINGS_SECRET: '' };
    try {
      const app = await startObservedApp(settings);
      try {
        const status = await app.status();
        expect(status.mode).toBe('offline');
        for (const name of [MICRO, PRO, 'bedrock-agent-runtime', 'cloudwatch', 'sts']) {
          const entry = find(status, name);
          expect(entry.state, name).toBe('unconfigured');
          expect(entry.detail, name).toContain('no AWS credentials found');
          expect(entry.fix ?? '', name).not.toBe('');
        }
        expect(find(status, 'database').state).toBe('ok');
        expect(status.features.tokenMonitoring).toEqual({
          available: false,
          reason:
            'CloudWatch metrics unavailable: no AWS credentials found (environment variables, AWS_PROFILE / ~/.aws, ECS or EKS task role)',
        });
        expect(status.features.knowledgeBase).toMatchObject({
          available: true,
          reason: expect.stringContaining('answering from the local knowledge base'),
        });
        expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
        expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
        const events = await app.chat();
        expect(events.find((e) => e.event === 'warning')?.data).toMatchObject({ code: 'retrieval_fallback' });
        expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
      } finally {
        await app.close();
      }
      const { code, out } = await doctor(settings);
      expect(code).toBe(0);
      expect(row(out, 'cloudwatch')).toMatch(
        /^cloudwatch\s+unconfigured\s+CloudWatch metrics and alarms: not checked — no AWS credentials found/,
      );
      expect(out).toContain('provider offline');
      // Not one request reached any AWS endpoint (and, with no credentials, none went looking for them).
      expect(fakes.requestCount()).toBe(0);
    } finally {
      restore();
    }
  });
});
