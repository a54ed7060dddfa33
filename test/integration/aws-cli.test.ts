/**
 * The `dualnova` command itself (run from source with tsx, so no build is needed): exit codes of
 * `serve` and `doctor`, and what `iam-policy` prints.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IamPolicyDocument } from '../../src/aws/iam-policy.js';
import { SETTINGS_SECRET_NAME, startAwsFakes, TEST_CREDENTIALS, type AwsFakes } from '../helpers/aws-app.js';
import { ROOT } from '../helpers/server-process.js';

let fakes: AwsFakes;
let dataDir: string;

beforeAll(async () => {
  fakes = await startAwsFakes();
  dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-cli-'));
});
afterAll(async () => {
  await fakes?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => fakes.reset());

/** Runs `dualnova ARGS` with a clean environment: only what is given (plus PATH/HOME). */
function dualnova(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'cli', 'main.ts'), ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dataDir,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const aws = () => ({ ...TEST_CREDENTIALS, ...fakes.endpoints });

describe('dualnova serve', () => {
  it('refuses to start (exit 2) when the configured settings secret is denied, naming it and the action', async () => {
    fakes.secrets.fault('GetSecretValue', 'access-denied');
    const { code, stderr, stdout } = await dualnova(['serve'], { ...aws(), DUALNOVA_SETTINGS_SECRET: SETTINGS_SECRET_NAME });
    expect(code).toBe(2);
    expect(stdout).not.toContain('listening');
    expect(stderr).toContain(
      `DUALNOVA_SETTINGS_SECRET=${SETTINGS_SECRET_NAME}: access denied in us-east-1: the role needs secretsmanager:GetSecretValue`,
    );
  });
});

describe('dualnova doctor', () => {
  it('exits 1 with --json when chat cannot be served', async () => {
    const { code, stdout } = await dualnova(['doctor', '--json'], {
      ...aws(),
      MODEL_PROVIDER: 'bedrock',
      FAST_MODEL_ID: 'us.amazon.nova-nope-v1:0',
      DETAIL_MODEL_ID: 'us.amazon.nova-nope-v1:0',
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      ready: boolean;
      exitCode: number;
      accountId: string;
      status: { dependencies: Array<{ name: string; state: string }> };
    };
    expect(report).toMatchObject({ ready: false, exitCode: 1, accountId: '123456789012' });
    expect(report.status.dependencies.find((d) => d.name === 'bedrock-runtime:us.amazon.nova-nope-v1:0')?.state).toBe('error');
  });

  it('exits 2 and prints the statement to add when the settings secret cannot be read', async () => {
    fakes.secrets.fault('GetSecretValue', 'access-denied');
    const { code, stdout } = await dualnova(['doctor'], { ...aws(), DUALNOVA_SETTINGS_SECRET: SETTINGS_SECRET_NAME });
    expect(code).toBe(2);
    expect(stdout).toContain('settings secret: DUALNOVA_SETTINGS_SECRET=dualnova/test/settings: access denied');
    expect(stdout).toContain('"secretsmanager:GetSecretValue"');
    expect(stdout).toContain('arn:aws:secretsmanager:us-east-1:${AWS::AccountId}:secret:dualnova/test/settings-??????');
    expect(stdout).toContain('Result: dualnova would not start');
  });

  it('exits 0 offline, with no AWS credentials and no AWS call', async () => {
    const { code, stdout } = await dualnova(['doctor'], fakes.endpoints);
    expect(code).toBe(0);
    expect(stdout).toContain('provider offline');
    expect(stdout).toMatch(/\nsts\s+unconfigured\s+identity: not checked — no AWS credentials found/);
    expect(fakes.requestCount()).toBe(0);
  });
});

describe('dualnova iam-policy', () => {
  it('prints the policy for the current settings, with the account from STS', async () => {
    const { code, stdout, stderr } = await dualnova(['iam-policy', '--metrics-namespace', 'Dualnova/App'], {
      ...aws(),
      KNOWLEDGE_BASE_ID: 'KB12345678',
      ALARM_NAME_PREFIX: 'dn-',
      DUALNOVA_SETTINGS_SECRET: 'dualnova/prod/settings',
    });
    expect(code).toBe(0);
    const policy = JSON.parse(stdout) as IamPolicyDocument;
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      'InvokeModels',
      'ReadInferenceProfiles',
      'KnowledgeBase',
      'ReadSettingsSecret',
      'ReadBedrockMetrics',
      'ManageAppAlarms',
      'PublishAppMetrics',
    ]);
    expect(policy.Statement.find((s) => s.Sid === 'KnowledgeBase')?.Resource).toEqual([
      'arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678',
    ]);
    expect(policy.Statement.find((s) => s.Sid === 'ManageAppAlarms')?.Resource).toEqual([
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:dn-*',
    ]);
    expect(policy.Statement.find((s) => s.Sid === 'ReadSettingsSecret')?.Resource).toEqual([
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:dualnova/prod/settings-??????',
    ]);
    expect(fakes.sts.requests.map((r) => r.action)).toEqual(['GetCallerIdentity']);
    // The secret itself is not read: this policy is what lets the app read it.
    expect(fakes.secrets.requests).toHaveLength(0);
    expect(stderr).toContain('kms:Decrypt');
  });

  it('without credentials: the account placeholder, and a note saying so; --account wins', async () => {
    const bare = await dualnova(['iam-policy', '--statements'], {});
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('arn:aws:bedrock:us-east-1:${AWS::AccountId}:inference-profile/us.amazon.nova-micro-v1:0');
    expect(bare.stderr).toContain('placeholder ${AWS::AccountId}');
    const given = await dualnova(['iam-policy', '--account', '999988887777'], {});
    expect(given.stdout).toContain('arn:aws:cloudwatch:us-east-1:999988887777:alarm:dualnova-*');
    const bad = await dualnova(['iam-policy', '--account', 'abc'], {});
    expect(bad.code).toBe(2);
  });
});
