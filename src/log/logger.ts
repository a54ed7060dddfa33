import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/** Paths that may carry credentials or secrets; pino replaces their values before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-amzn-oidc-data"]',
  'req.headers["x-amzn-oidc-accesstoken"]',
  'req.headers["x-amzn-oidc-identity"]',
  'req.headers["x-api-key"]',
  'headers["x-amzn-oidc-data"]',
  'headers["x-amzn-oidc-accesstoken"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["x-amzn-oidc-data"]',
  '*.headers["x-amzn-oidc-accesstoken"]',
  'authorization',
  'cookie',
  'token',
  'tokenHash',
  'token_hash',
  '*.tokenHash',
  '*.token_hash',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  'password',
  'DB_PASSWORD',
  '*.DB_PASSWORD',
  'DATABASE_URL',
  '*.DATABASE_URL',
  'databaseUrl',
  '*.databaseUrl',
  'OPENAI_API_KEY',
  '*.OPENAI_API_KEY',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.secret',
  '*.secretString',
  '*.SecretString',
  '*.apiKey',
  '*.token',
  '*.accessKeyId',
  '*.secretAccessKey',
  '*.sessionToken',
  'credentials',
  '*.credentials',
  'settings.openai.apiKey',
  'settings.databaseUrl',
];

export function createLogger(level: LoggerOptions['level'] = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'dualnova' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Turns any thrown value into loggable fields without losing the cause. */
export function errorFields(error: unknown): { err: { name: string; message: string; code?: string; stack?: string } } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      err: {
        name: error.name,
        message: error.message,
        ...(typeof code === 'string' ? { code } : {}),
        ...(error.stack ? { stack: error.stack } : {}),
      },
    };
  }
  return { err: { name: 'NonError', message: String(error) } };
}
