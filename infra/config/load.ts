import { dev } from './dev.js';
import { prod } from './prod.js';
import { DEPLOY_CONFIG_KEYS, DeployConfigError, parseDeployConfig, type DeployConfig } from './schema.js';

export const ENVIRONMENTS = { dev, prod } as const;
export type EnvironmentName = keyof typeof ENVIRONMENTS;

export interface LoadOptions {
  /** Environment file to start from (`-c env=prod`); default dev. */
  envName?: string;
  /** CDK context: every deployment key may be overridden as `-c key=value`. */
  context?: Record<string, unknown>;
  /** Process environment, for CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION (set by the CDK CLI from your AWS profile). */
  processEnv?: NodeJS.ProcessEnv;
}

/**
 * The validated parameters of one deployment: environment file, then context overrides.
 * Account and region fall back to the CLI's defaults, and the region finally to us-east-1, so that
 * `cdk synth` works offline with no credentials and never needs a lookup.
 */
export function loadDeployConfig(options: LoadOptions = {}): DeployConfig {
  const context = options.context ?? {};
  const processEnv = options.processEnv ?? process.env;
  const requested: unknown = options.envName ?? context.env ?? 'dev';
  const envName = typeof requested === 'string' ? requested : JSON.stringify(requested);
  if (!(envName in ENVIRONMENTS)) {
    throw new DeployConfigError([`env=${JSON.stringify(envName)}: unknown environment; known: ${Object.keys(ENVIRONMENTS).join(', ')}`]);
  }
  const base = ENVIRONMENTS[envName as EnvironmentName];

  // A mistyped key (`-c certificateARN=...`) must not be silently ignored. CDK's own context keys
  // contain ':' or '@' or '-' (feature flags, lookups, acknowledged-issue-numbers), ours are camelCase.
  const known = new Set<string>([...DEPLOY_CONFIG_KEYS, 'env']);
  const unknown = Object.keys(context).filter((key) => /^[a-z][a-zA-Z0-9]*$/.test(key) && !known.has(key));
  if (unknown.length > 0) {
    throw new DeployConfigError(
      unknown.map((key) => `${key} (context): unknown deployment parameter; known parameters are env, ${DEPLOY_CONFIG_KEYS.join(', ')}`),
    );
  }
  const overrides = Object.fromEntries(DEPLOY_CONFIG_KEYS.filter((key) => context[key] !== undefined).map((key) => [key, context[key]]));

  return parseDeployConfig({
    ...base,
    account: processEnv.CDK_DEFAULT_ACCOUNT,
    region: base.region ?? processEnv.CDK_DEFAULT_REGION ?? 'us-east-1',
    ...overrides,
  });
}
