import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadDeployConfig } from '../config/load.js';
import type { DeployConfig } from '../config/schema.js';
import { DualnovaStack } from './dualnova-stack.js';

/** The repository root: the Docker build context of the image asset. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CreateAppOptions {
  /** Extra context (tests); the CDK CLI passes its own through the environment. */
  context?: Record<string, unknown>;
  processEnv?: NodeJS.ProcessEnv;
  outdir?: string;
  /** Run the cdk-nag AwsSolutions checks at synth (any unacknowledged finding fails the synth). */
  nag?: boolean;
  /** The CDK's built-in CloudFormation schema validation at synth (`--no-validation` turns it off too). */
  cfnValidation?: boolean;
}

export interface DualnovaApp {
  app: App;
  stack: DualnovaStack;
  config: DeployConfig;
}

/**
 * The CDK app, shared by `cdk synth/deploy` (infra/bin/dualnova.ts) and the tests: the same feature
 * flags (the CDK's currently recommended set), the same parameter loading, the same checks.
 */
export function createApp(options: CreateAppOptions = {}): DualnovaApp {
  const app = new App({
    context: { ...CURRENTLY_RECOMMENDED_FLAGS, ...options.context },
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.cfnValidation === false ? { builtinCloudFormationValidation: false } : {}),
  });
  const config = loadDeployConfig({
    context: app.node.getAllContext() as Record<string, unknown>,
    processEnv: options.processEnv ?? process.env,
  });
  const stack = new DualnovaStack(app, `Dualnova-${config.envName}`, { config, imageDirectory: REPO_ROOT });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack, config };
}
