import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { Language } from '../lang/languages.js';
import { SETTING_NAMES, settingsSchema, type ParsedSettings } from './schema.js';
import {
  composeDatabaseUrl,
  securitySettingsProblems,
  toAuthSettings,
  toLimitSettings,
  type AuthSettings,
  type LimitSettings,
  type TrustProxy,
} from './security-settings.js';
import { toUsageSettings, type UsageSettings } from './usage-settings.js';

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  modelProvider: 'auto' | 'bedrock' | 'openai' | 'offline';
  fastModelId: string;
  detailModelId: string;
  bedrockRegion: string;
  knowledgeBaseId: string | undefined;
  /** Set only when KB_DOCS_DIR is given; see resolveKbDocsDir for the default. */
  kbDocsDir: string | undefined;
  glossaryFile: string;
  staffLanguage: Language;
  /** The main customer language: where the translator sends staff-language text when the target is auto. */
  customerLanguage: Language;
  /** Model of question and text translation; unset = the fast model. */
  translationModelId: string | undefined;
  /** Longest wait for a question's translation before answering from the original question alone. */
  translationTimeoutMs: number;
  openai: { baseUrl: string | undefined; apiKey: string | undefined; fastModel: string | undefined; detailModel: string | undefined };
  logLevel: ParsedSettings['LOG_LEVEL'];
  inference: {
    overview: { maxTokens: number; temperature: number };
    detail: { maxTokens: number; temperature: number };
  };
  retrieveTopK: number;
  historyTokenBudget: number;
  maxMessageChars: number;
  /** Name or ARN of a Secrets Manager secret holding a JSON object of settings (read at start; env wins). */
  settingsSecret: string | undefined;
  /** Background dependency checks: how often (seconds) and how long each may take (ms). */
  probes: { ttlSeconds: number; timeoutMs: number };
  /** Names of the CloudWatch alarms the app may create, read and delete start with this. */
  alarmNamePrefix: string;
  auth: AuthSettings;
  limits: LimitSettings;
  /** How long streaming answers may run on after SIGTERM before they are aborted (stored as partial). */
  shutdownGraceSeconds: number;
  trustProxy: TrustProxy;
  /** Prices, CloudWatch reader, EMF metrics, budgets, alarms (src/usage). */
  usage: UsageSettings;
}

/** One line per bad key: what was given and what is allowed. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The installed package's root (nearest package.json), so the shipped sample KB is found from any working directory. */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function readSettingsFile(file: string): Record<string, unknown> {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SettingsError([`SETTINGS_FILE=${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new SettingsError([`SETTINGS_FILE=${file}: not valid JSON (${(error as Error).message})`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SettingsError([`SETTINGS_FILE=${file}: must hold a JSON object of setting names to values`]);
  }
  const unknown = Object.keys(parsed).filter((key) => !(SETTING_NAMES as string[]).includes(key));
  if (unknown.length > 0) {
    throw new SettingsError(unknown.map((key) => `${key} (in ${file}): unknown setting; known settings are ${SETTING_NAMES.join(', ')}`));
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : String(value)]));
}

function describeIssue(issue: z.ZodIssue, input: Record<string, unknown>): string {
  const key = String(issue.path[0] ?? '(settings)');
  const given = input[key];
  const shown = given === undefined ? '(unset)' : JSON.stringify(given);
  return `${key}=${shown}: ${issue.message}`;
}

export interface LoadSettingsOptions {
  env?: NodeJS.ProcessEnv;
  /** Settings supplied by an outside source (a Secrets Manager secret); the environment wins over them. */
  extra?: Record<string, string>;
}

/** Reads settings from (lowest first) an extra source, the JSON file named by SETTINGS_FILE, the environment. */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const fromFile = env.SETTINGS_FILE ? readSettingsFile(env.SETTINGS_FILE) : {};
  const fromEnv = Object.fromEntries(SETTING_NAMES.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
  const input: Record<string, unknown> = { ...options.extra, ...fromFile, ...fromEnv };
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    throw new SettingsError(result.error.issues.map((issue) => describeIssue(issue, input)));
  }
  const crossProblems = securitySettingsProblems(result.data);
  if (crossProblems.length > 0) throw new SettingsError(crossProblems);
  return toSettings(result.data);
}

function toSettings(s: ParsedSettings): Settings {
  return {
    host: s.HOST,
    port: s.PORT,
    dataDir: path.resolve(s.DATA_DIR),
    databaseUrl: s.DATABASE_URL ?? composeDatabaseUrl(s),
    modelProvider: s.MODEL_PROVIDER,
    fastModelId: s.FAST_MODEL_ID,
    detailModelId: s.DETAIL_MODEL_ID,
    bedrockRegion: s.BEDROCK_REGION ?? s.AWS_REGION ?? 'us-east-1',
    knowledgeBaseId: s.KNOWLEDGE_BASE_ID,
    kbDocsDir: s.KB_DOCS_DIR === undefined ? undefined : path.resolve(s.KB_DOCS_DIR),
    glossaryFile: path.resolve(s.GLOSSARY_FILE ?? path.join(PACKAGE_ROOT, 'kb', 'glossary.json')),
    staffLanguage: s.STAFF_LANGUAGE,
    customerLanguage: s.CUSTOMER_LANGUAGE,
    translationModelId: s.TRANSLATION_MODEL_ID,
    translationTimeoutMs: s.TRANSLATION_TIMEOUT_MS,
    openai: {
      baseUrl: s.OPENAI_BASE_URL,
      apiKey: s.OPENAI_API_KEY,
      fastModel: s.OPENAI_MODEL_FAST,
      detailModel: s.OPENAI_MODEL_DETAIL,
    },
    logLevel: s.LOG_LEVEL,
    inference: {
      overview: { maxTokens: s.OVERVIEW_MAX_TOKENS, temperature: s.OVERVIEW_TEMPERATURE },
      detail: { maxTokens: s.DETAIL_MAX_TOKENS, temperature: s.DETAIL_TEMPERATURE },
    },
    retrieveTopK: s.RETRIEVE_TOP_K,
    historyTokenBudget: s.HISTORY_TOKEN_BUDGET,
    maxMessageChars: s.MAX_MESSAGE_CHARS,
    settingsSecret: s.DUALNOVA_SETTINGS_SECRET,
    probes: { ttlSeconds: s.PROBE_TTL_SECONDS, timeoutMs: s.PROBE_TIMEOUT_MS },
    alarmNamePrefix: s.ALARM_NAME_PREFIX,
    auth: toAuthSettings(s),
    limits: toLimitSettings(s),
    shutdownGraceSeconds: s.SHUTDOWN_GRACE_SECONDS,
    trustProxy: s.TRUST_PROXY,
    usage: toUsageSettings(s),
  };
}
