#!/usr/bin/env node
// The CDK app entry point: `npm run synth` / `npm run deploy` (see docs/deploy.md).
// Parameters: infra/config/<env>.ts, overridden with `-c key=value`; `-c env=prod` picks the environment.
import { DeployConfigError } from '../config/schema.js';
import { createApp } from '../lib/app.js';

try {
  createApp().app.synth();
} catch (error) {
  if (error instanceof DeployConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}
