import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/server-process.js';

const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** `npm run synth` as an operator runs it, but with no AWS credentials or profile reachable at all. */
function cdkSynth(args: string[]) {
  const outdir = mkdtempSync(path.join(tmpdir(), 'dualnova-synth-'));
  outdirs.push(outdir);
  const result = spawnSync(CDK, ['synth', '--quiet', '--no-notices', '--output', outdir, ...args], {
    cwd: path.join(ROOT, 'infra'),
    env: {
      PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
      HOME: outdir,
      AWS_CONFIG_FILE: path.join(outdir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(outdir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_VERSION_CHECK: '1',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { ...result, outdir };
}

describe('cdk synth (the CLI, offline, no credentials)', () => {
  it('synthesizes prod with HTTPS and an allow-list; cdk-nag and the CloudFormation schema checks pass', () => {
    const run = cdkSynth([
      '-c',
      'env=prod',
      '-c',
      'certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/0f3c8a52-1b2d-4e5f-8a9b-0c1d2e3f4a5b',
      '-c',
      'allowedCidrs=203.0.113.0/24',
    ]);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const template = JSON.parse(readFileSync(path.join(run.outdir, 'Dualnova-prod.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    const types = new Set(Object.values(template.Resources).map((r) => r.Type));
    for (const type of [
      'AWS::ECS::Service',
      'AWS::ElasticLoadBalancingV2::LoadBalancer',
      'AWS::RDS::DBCluster',
      'AWS::CloudWatch::Dashboard',
      'AWS::WAFv2::WebACL',
    ]) {
      expect(types, type).toContain(type);
    }
    // A violation of any plugin (cdk-nag AwsSolutions, the CDK's CloudFormation validation) would have failed the synth;
    // the report must not even hold warnings from them.
    const reportFile = path.join(run.outdir, 'validation-report.json');
    if (existsSync(reportFile)) {
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
        pluginReports?: { pluginName: string; violations?: { ruleName: string }[] }[];
      };
      const findings = (report.pluginReports ?? [])
        .filter((p) => p.pluginName !== 'Construct Annotations')
        .flatMap((p) => (p.violations ?? []).map((v) => `${p.pluginName}: ${v.ruleName}`));
      expect(findings).toEqual([]);
    }
  }, 120_000);

  it('refuses desiredCount > 1 without a database, naming the parameter and the reason', () => {
    const run = cdkSynth(['-c', 'database=false', '-c', 'desiredCount=3', '-c', 'maxCount=3']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Invalid dualnova deployment parameters');
    expect(run.stderr).toMatch(/desiredCount="3": desiredCount=3 needs the shared database \(database=true\)/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  }, 120_000);
});
