/**
 * Settings from AWS Secrets Manager: when DUALNOVA_SETTINGS_SECRET names a secret, its JSON object
 * supplies settings under the environment (env and SETTINGS_FILE win). It is configured, so it is
 * required: any problem stops start-up with exit code 2 and a message that names the secret and
 * the problem — and never shows a value from it.
 */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { settingsSchema, SETTING_NAMES } from '../config/schema.js';
import { loadSettings, SettingsError, type Settings } from '../config/settings.js';
import { AwsClients } from './clients.js';
import { describeAwsError } from '../errors/aws.js';
import { secretRegion } from './registry.js';

/** Start-up waits this long at most for the secret (the SDK retries inside it). */
export const SECRET_READ_TIMEOUT_MS = 10_000;

/** A settings-secret problem: still a SettingsError, so every command exits with code 2. */
export class SettingsSecretError extends SettingsError {
  constructor(
    readonly secretId: string,
    readonly problem: string,
    /** The IAM action to grant, when the read was refused. */
    readonly missingPermission?: string,
  ) {
    super([`DUALNOVA_SETTINGS_SECRET=${secretId}: ${problem}`]);
  }
}

export interface LoadFromSourcesOptions {
  env?: NodeJS.ProcessEnv;
  /** Reuse these clients (else a private set is built and destroyed). */
  clients?: AwsClients;
  timeoutMs?: number;
}

/**
 * Settings from every source: the secret (lowest), SETTINGS_FILE, the environment (highest).
 * Without DUALNOVA_SETTINGS_SECRET this is exactly `loadSettings()` and makes no AWS call.
 */
export async function loadSettingsFromSources(options: LoadFromSourcesOptions = {}): Promise<Settings> {
  const env = options.env ?? process.env;
  // Parsed once without the secret: it says where the secret is, and bad env values fail first.
  const base = loadSettings({ env });
  const secretId = base.settingsSecret;
  if (!secretId) return base;
  const extra = await readSettingsSecret(secretId, secretRegion(secretId, base, env), options);
  return loadSettings({ env, extra });
}

/** Reads and validates the secret; returns its settings as strings, ready for loadSettings({extra}). */
export async function readSettingsSecret(
  secretId: string,
  region: string,
  options: LoadFromSourcesOptions = {},
): Promise<Record<string, string>> {
  const clients = options.clients ?? new AwsClients();
  const timeoutMs = options.timeoutMs ?? SECRET_READ_TIMEOUT_MS;
  let secretString: string | undefined;
  let binary: boolean | undefined;
  try {
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      const output = await Promise.race([
        clients.secretsManager(region).send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal: deadline }),
        new Promise<never>((_, reject) =>
          deadline.addEventListener('abort', () => reject(deadline.reason instanceof Error ? deadline.reason : new Error('timeout')), {
            once: true,
          }),
        ),
      ]);
      secretString = output.SecretString;
      binary = output.SecretBinary !== undefined;
    } catch (error) {
      throw readError(secretId, region, error, deadline.aborted, timeoutMs);
    }
  } finally {
    if (!options.clients) clients.destroy();
  }
  if (secretString === undefined) {
    throw new SettingsSecretError(
      secretId,
      binary ? 'holds binary data; it must hold a JSON object as its secret string' : 'has no value (SecretString is empty)',
    );
  }
  return parseSettingsSecret(secretId, secretString);
}

function readError(secretId: string, region: string, error: unknown, timedOut: boolean, timeoutMs: number): SettingsSecretError {
  const failure = describeAwsError(error, { timedOut, timeoutMs });
  const name = failure.name;
  switch (failure.kind) {
    case 'denied': {
      const action = failure.deniedAction ?? 'secretsmanager:GetSecretValue';
      const kms = action.startsWith('kms:') ? ' on the KMS key that encrypts the secret' : ' on the secret';
      return new SettingsSecretError(secretId, `access denied in ${region}: the role needs ${action}${kms} (${name})`, action);
    }
    case 'credentials':
    case 'no-credentials':
      return new SettingsSecretError(secretId, `cannot be read: ${failure.summary}`);
    case 'not-found':
      return new SettingsSecretError(secretId, `not found in ${region} (check the name or ARN, and AWS_REGION)`);
    case 'timeout':
    case 'unreachable':
      return new SettingsSecretError(secretId, `Secrets Manager in ${region} could not be reached: ${failure.summary}`);
    case 'throttled':
      return new SettingsSecretError(secretId, `Secrets Manager kept throttling the read (${name}); retry the start`);
    default:
      break;
  }
  if (name === 'DecryptionFailure') {
    return new SettingsSecretError(
      secretId,
      'cannot be decrypted: the role needs kms:Decrypt on the KMS key that encrypts the secret',
      'kms:Decrypt',
    );
  }
  if (name === 'InvalidRequestException') {
    return new SettingsSecretError(secretId, `cannot be read: ${failure.message} (is it scheduled for deletion?)`);
  }
  return new SettingsSecretError(secretId, `cannot be read: ${failure.summary}`);
}

const KNOWN = new Set<string>(SETTING_NAMES);
const SHAPE = settingsSchema.shape as Record<
  string,
  { safeParse(value: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }
>;

/**
 * The secret's JSON object as settings. Values are checked here, key by key, so that a bad value is
 * reported by its key alone: loadSettings would echo the value, and this one came from a secret.
 */
export function parseSettingsSecret(secretId: string, text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: it is not repeated here.
    throw new SettingsSecretError(
      secretId,
      'is not valid JSON; it must be a JSON object of setting names to values, e.g. {"OPENAI_API_KEY": "..."}',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    throw new SettingsSecretError(secretId, `must be a JSON object of setting names to values, not ${kind}`);
  }
  const problems: string[] = [];
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!KNOWN.has(key)) {
      problems.push(`${key}: unknown setting (known settings are listed in README.md)`);
      continue;
    }
    if (key === 'DUALNOVA_SETTINGS_SECRET') {
      problems.push(`${key}: cannot be set from the secret itself`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problems.push(`${key}: must be a string, number or boolean`);
      continue;
    }
    const text = String(value);
    const check = SHAPE[key]?.safeParse(text);
    if (check && !check.success) {
      problems.push(`${key}: ${check.error?.issues.map((issue) => issue.message).join('; ') ?? 'invalid'} (value not shown)`);
      continue;
    }
    settings[key] = text;
  }
  if (problems.length > 0) {
    throw new SettingsError(problems.map((problem) => `DUALNOVA_SETTINGS_SECRET=${secretId}: ${problem}`));
  }
  return settings;
}
