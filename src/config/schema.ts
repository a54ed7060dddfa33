import { z } from 'zod';
import { LANGUAGES } from '../lang/languages.js';
import { securitySettingsShape } from './security-settings.js';
import { usageSettingsShape } from './usage-settings.js';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const temperature = z.coerce.number().min(0).max(1);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * Every setting dualnova reads, by its environment-variable name. The same names are used as keys
 * of the optional JSON settings file. Defaults describe the embedded default (no AWS at all).
 */
export const settingsSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  MODEL_PROVIDER: z.enum(['auto', 'bedrock', 'openai', 'offline']).default('auto'),
  FAST_MODEL_ID: z.string().min(1).default('us.amazon.nova-micro-v1:0'),
  DETAIL_MODEL_ID: z.string().min(1).default('us.amazon.nova-pro-v1:0'),
  BEDROCK_REGION: optionalText,
  AWS_REGION: optionalText,
  KNOWLEDGE_BASE_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9A-Za-z]{10}$/, 'must be a 10-character Bedrock knowledge base id')
      .optional(),
  ),
  KB_DOCS_DIR: optionalText,
  GLOSSARY_FILE: optionalText,
  STAFF_LANGUAGE: z.enum(LANGUAGES).default('ko'),
  CUSTOMER_LANGUAGE: z.enum(LANGUAGES).default('en'),
  TRANSLATION_MODEL_ID: optionalText,
  TRANSLATION_TIMEOUT_MS: positiveInt.max(120000).default(5000),
  OPENAI_BASE_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
  OPENAI_API_KEY: optionalText,
  OPENAI_MODEL_FAST: optionalText,
  OPENAI_MODEL_DETAIL: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OVERVIEW_MAX_TOKENS: positiveInt.max(10000).default(1024),
  OVERVIEW_TEMPERATURE: temperature.default(0.3),
  DETAIL_MAX_TOKENS: positiveInt.max(10000).default(2048),
  DETAIL_TEMPERATURE: temperature.default(0.5),
  RETRIEVE_TOP_K: positiveInt.max(100).default(5),
  HISTORY_TOKEN_BUDGET: positiveInt.default(2000),
  MAX_MESSAGE_CHARS: positiveInt.max(100000).default(4000),
  // AWS dependency checks and settings source: see src/aws/ and docs/operations.md.
  DUALNOVA_SETTINGS_SECRET: optionalText,
  PROBE_TTL_SECONDS: positiveInt.max(86400).default(60),
  PROBE_TIMEOUT_MS: positiveInt.min(100).max(60000).default(3000),
  ALARM_NAME_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
    .default('dualnova-'),
  // Login, abuse limits, shutdown, DATABASE_URL parts: see security-settings.ts.
  ...securitySettingsShape,
  // Prices, CloudWatch cache, EMF metrics, budgets, CLI alarms: see usage-settings.ts.
  ...usageSettingsShape,
});

export type ParsedSettings = z.output<typeof settingsSchema>;
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as (keyof ParsedSettings)[];
