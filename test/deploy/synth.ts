import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../infra/lib/app.js';
import type { DeployConfig } from '../../infra/config/schema.js';
import type { DualnovaStack } from '../../infra/lib/dualnova-stack.js';

export interface Synthesized {
  app: App;
  stack: DualnovaStack;
  config: DeployConfig;
  template: Template;
  json: CfnTemplate;
  outdir: string;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

/**
 * Synthesizes the real app (same feature flags and parameter loading as `npm run synth`) in-process,
 * offline: no AWS credentials, no Docker (the image asset is only fingerprinted and staged), no lookups.
 * cdk-nag is run separately by the tests (AwsSolutionsChecks.validateScope) so findings are listed.
 */
const outdirs: string[] = [];

/** Removes the cloud assemblies written by synth() (call from afterAll). */
export function removeSynthOutput(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function synth(context: Record<string, unknown>, options: { cfnValidation?: boolean } = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'dualnova-cdk-'));
  outdirs.push(outdir);
  const { app, stack, config } = createApp({ context, processEnv: {}, outdir, nag: false, cfnValidation: options.cfnValidation ?? false });
  const template = Template.fromStack(stack);
  return { app, stack, config, template, json: template.toJSON() as CfnTemplate, outdir };
}

export function resourcesOfType(json: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
}

export function onlyResource(json: CfnTemplate, type: string): CfnResource {
  const found = resourcesOfType(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]![1];
}

export function onlyResourceEntry(
  json: CfnTemplate,
  type: string,
  where: (properties: Record<string, unknown>) => boolean,
): [string, CfnResource] {
  const found = resourcesOfType(json, type).filter(([, resource]) => where(resource.Properties ?? {}));
  if (found.length !== 1) throw new Error(`expected one matching ${type}, found ${found.length}`);
  return found[0]!;
}

/** IAM statements as a comparable shape: Action and Resource always arrays. */
export function normalizeStatement(statement: Record<string, unknown>): Record<string, unknown> {
  const asArray = (value: unknown) => (Array.isArray(value) ? value : [value]);
  const out: Record<string, unknown> = { ...statement, Action: asArray(statement.Action), Resource: asArray(statement.Resource) };
  return out;
}

/** A CloudFormation value as one string, tokens shown as <Ref> / <Id.Attr> (the way cdk-nag prints them). */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join(',');
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('Fn::Join' in record) {
      const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if ('Ref' in record) return `<${String(record.Ref)}>`;
    if ('Fn::GetAtt' in record) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Sub' in record) return String(record['Fn::Sub']).replace(/\$\{([^}]+)\}/g, '<$1>');
  }
  return JSON.stringify(value);
}
