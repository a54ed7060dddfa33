/**
 * Settings from Secrets Manager (DUALNOVA_SETTINGS_SECRET) through the real client and the JSON 1.1
 * fake: the environment wins, every problem is one start-up error naming the secret, and no value
 * from the secret (or any credential) reaches an error message or the log.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSettingsFromSources, SettingsSecretError } from '../../src/aws/settings-secret.js';
import { SettingsError } from '../../src/config/settings.js';
import { createLogger } from '../../src/log/logger.js';
import { closedPort } from '../fakes/aws-http-fake.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../fakes/secrets-manager.js';
import { setEnv, startAwsFakes, startObservedApp, TEST_CREDENTIALS, type AwsFakes } from '../helpers/aws-app.js';

const OPENAI_KEY = 'sk-dualnova-SECRET-VALUE-0123456789';
const SECRET = 'dualnova/test/settings';

let fakes: AwsFakes;
let secrets: FakeSecretsManager;
let restoreEnv: () => void;

beforeAll(async () => {
  fakes = await startAwsFakes({
    secretString: JSON.stringify({ RETRIEVE_TOP_K: 3, STAFF_LANGUAGE: 'en', OPENAI_API_KEY: OPENAI_KEY, ALARM_NAME_PREFIX: 'dn-prod-' }),
  });
  secrets = fakes.secrets;
  restoreEnv = setEnv({ ...TEST_CREDENTIALS, ...fakes.endpoints });
});
afterAll(async () => {
  restoreEnv?.();
  await fakes?.close();
});
afterEach(() => fakes.reset());

const load = (env: Record<string, string> = {}, timeoutMs?: number) =>
  loadSettingsFromSources({ env: { ...process.env, DUALNOVA_SETTINGS_SECRET: SECRET, ...env }, ...(timeoutMs ? { timeoutMs } : {}) });

async function problemOf(promise: Promise<unknown>): Promise<SettingsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SettingsError);
  return error as SettingsError;
}

describe('reading settings from the secret', () => {
  it('supplies settings under the environment (env wins) and reads nothing when unset', async () => {
    const settings = await load({ STAFF_LANGUAGE: 'ko' });
    expect(settings.retrieveTopK).toBe(3);
    expect(settings.staffLanguage).toBe('ko');
    expect(settings.openai.apiKey).toBe(OPENAI_KEY);
    expect(settings.alarmNamePrefix).toBe('dn-prod-');
    expect(settings.settingsSecret).toBe(SECRET);
    expect(secrets.requests.map((r) => [r.action, r.body])).toEqual([['GetSecretValue', { SecretId: SECRET }]]);

    secrets.reset();
    const plain = await loadSettingsFromSources({ env: { ...process.env, DUALNOVA_SETTINGS_SECRET: '' } });
    expect(plain.retrieveTopK).toBe(5);
    expect(secrets.requests).toHaveLength(0);
  });

  it('uses the region in a secret ARN, else AWS_REGION', async () => {
    const arn = secrets.arnOf(SECRET) ?? '';
    await load({ DUALNOVA_SETTINGS_SECRET: arn, AWS_REGION: 'eu-west-1' });
    await load({ AWS_REGION: 'eu-west-1' });
    expect(secrets.requests.map((r) => r.region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it.each([
    ['access-denied', 'access denied in us-east-1: the role needs secretsmanager:GetSecretValue on the secret (AccessDeniedException)'],
    ['server-error', 'cannot be read: the service failed (InternalServiceError, HTTP 500)'],
    ['throttling', 'Secrets Manager kept throttling the read (ThrottlingException); retry the start'],
    ['invalid-credentials', 'cannot be read: AWS rejected the credentials (UnrecognizedClientException)'],
  ] as const)('%s: a start-up error naming the secret and the problem', async (fault, problem) => {
    secrets.fault('GetSecretValue', fault);
    const error = await problemOf(load());
    expect(error).toBeInstanceOf(SettingsSecretError);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(`DUALNOVA_SETTINGS_SECRET=${SECRET}: ${problem}`);
    if (fault === 'access-denied') expect((error as SettingsSecretError).missingPermission).toBe('secretsmanager:GetSecretValue');
  });

  it('a secret that does not exist', async () => {
    const error = await problemOf(load({ DUALNOVA_SETTINGS_SECRET: 'dualnova/missing' }));
    expect(error.problems).toEqual([
      'DUALNOVA_SETTINGS_SECRET=dualnova/missing: not found in us-east-1 (check the name or ARN, and AWS_REGION)',
    ]);
  });

  it('a hanging or unreachable Secrets Manager ends start-up instead of stalling it', async () => {
    secrets.fault('GetSecretValue', 'hang');
    const started = performance.now();
    const hung = await problemOf(load({}, 500));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(hung.problems[0]).toBe(
      `DUALNOVA_SETTINGS_SECRET=${SECRET}: Secrets Manager in us-east-1 could not be reached: no answer within 500 ms`,
    );

    const restore = setEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${await closedPort()}` });
    try {
      const refused = await problemOf(load());
      expect(refused.problems[0]).toMatch(/could not be reached: cannot connect \(ECONNREFUSED\)/);
    } finally {
      restore();
    }
  });

  describe('a malformed secret, without ever showing its content', () => {
    let own: FakeSecretsManager;
    let restore: () => void;
    beforeAll(async () => {
      own = await startFakeSecretsManager();
      restore = setEnv({ AWS_ENDPOINT_URL_SECRETS_MANAGER: own.url });
    });
    afterAll(async () => {
      restore();
      await own.close();
    });

    it.each([
      ['not JSON', 'not json SECRET-VALUE-XYZ', 'is not valid JSON; it must be a JSON object of setting names to values'],
      ['an array', '["SECRET-VALUE-XYZ"]', 'must be a JSON object of setting names to values, not an array'],
      ['a string', '"SECRET-VALUE-XYZ"', 'must be a JSON object of setting names to values, not a string'],
      ['an unknown key', '{"NOT_A_SETTING": "SECRET-VALUE-XYZ"}', 'NOT_A_SETTING: unknown setting'],
      ['a bad value', '{"PORT": "SECRET-VALUE-XYZ"}', 'PORT: '],
      ['a nested value', '{"OPENAI_API_KEY": {"k": "SECRET-VALUE-XYZ"}}', 'OPENAI_API_KEY: must be a string, number or boolean'],
    ])('%s', async (_name, secretString, problem) => {
      own.putSecret({ name: 'bad', secretString });
      const error = await problemOf(loadSettingsFromSources({ env: { ...process.env, DUALNOVA_SETTINGS_SECRET: 'bad' } }));
      expect(error.message).toContain(`DUALNOVA_SETTINGS_SECRET=bad: ${problem}`);
      expect(error.message).not.toContain('SECRET-VALUE-XYZ');
    });

    it('binary data', async () => {
      own.putSecret({ name: 'binary', secretBinary: Buffer.from('{}').toString('base64') });
      const error = await problemOf(loadSettingsFromSources({ env: { ...process.env, DUALNOVA_SETTINGS_SECRET: 'binary' } }));
      expect(error.problems[0]).toBe('DUALNOVA_SETTINGS_SECRET=binary: holds binary data; it must hold a JSON object as its secret string');
    });
  });
});

describe('secrets and credentials never reach the log', () => {
  it('redacts secret-shaped fields in every logger line (pino redaction)', () => {
    let out = '';
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _e, cb) => ((out += chunk.toString()), cb()) }));
    logger.info(
      {
        response: { SecretString: OPENAI_KEY },
        settings: { openai: { apiKey: OPENAI_KEY } },
        credentials: { secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY },
        OPENAI_API_KEY: OPENAI_KEY,
      },
      'shapes',
    );
    expect(out).toContain('[redacted]');
    expect(out).not.toContain(OPENAI_KEY);
    expect(out).not.toContain(TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY);
  });

  it('a whole run at trace level — secret read, checks failing and recovering, a chat — logs no secret value', async () => {
    fakes.cloudwatch.fault('*', 'access-denied');
    fakes.secrets.fault('DescribeSecret', 'access-denied');
    const app = await startObservedApp({ MODEL_PROVIDER: 'bedrock', DUALNOVA_SETTINGS_SECRET: SECRET }, { logLevel: 'trace' });
    try {
      expect(app.runtime.settings.openai.apiKey).toBe(OPENAI_KEY);
      fakes.cloudwatch.reset();
      await app.runtime.dependencies.refresh();
      await app.chat();
      const status = JSON.stringify(await app.status());
      const log = app.logText();
      expect(log).toContain('dependency state changed');
      for (const text of [log, status]) {
        expect(text).not.toContain(OPENAI_KEY);
        expect(text).not.toContain(TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY);
      }
    } finally {
      await app.close();
    }
  });
});
