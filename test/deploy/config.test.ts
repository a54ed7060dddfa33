import { describe, expect, it } from 'vitest';
import { BEDROCK_PRICES } from '../../infra/config/bedrock-prices.js';
import { loadDeployConfig } from '../../infra/config/load.js';
import { DeployConfigError } from '../../infra/config/schema.js';
import { createApp } from '../../infra/lib/app.js';
import { DEFAULT_PRICES } from '../../src/usage/prices.js';

const load = (context: Record<string, unknown>) => loadDeployConfig({ context, processEnv: {} });
const problems = (context: Record<string, unknown>): string[] => {
  try {
    load(context);
  } catch (error) {
    if (error instanceof DeployConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the parameters to be refused');
};

describe('deployment parameters', () => {
  it('dev and prod load offline: region us-east-1 unless given, no account unless given', () => {
    const dev = load({});
    expect(dev).toMatchObject({ envName: 'dev', region: 'us-east-1', desiredCount: 1, database: true });
    expect(dev.account).toBeUndefined();
    const prod = load({ env: 'prod' });
    expect(prod).toMatchObject({
      envName: 'prod',
      desiredCount: 2,
      maxCount: 6,
      dbDeletionProtection: true,
      waf: true,
      retainOnDelete: true,
    });
    expect(
      loadDeployConfig({ context: {}, processEnv: { CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'eu-west-1' } }),
    ).toMatchObject({
      account: '111122223333',
      region: 'eu-west-1',
    });
  });

  it('accepts context strings for numbers, booleans and lists', () => {
    const config = load({ desiredCount: '3', maxCount: '5', waf: 'true', allowedCidrs: '203.0.113.0/24, 198.51.100.7/32' });
    expect(config).toMatchObject({ desiredCount: 3, maxCount: 5, waf: true, allowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
  });

  it('refuses desiredCount > 1 without a database, with a clear message', () => {
    const found = problems({ database: 'false', desiredCount: '2', maxCount: '2' });
    expect(found).toContainEqual(expect.stringMatching(/^desiredCount="2": desiredCount=2 needs the shared database \(database=true\)/));
    expect(found).toContainEqual(expect.stringMatching(/^maxCount="2": .*needs the shared database/));
    // ... and so does the synth itself.
    expect(() => createApp({ context: { database: 'false', desiredCount: '2' }, processEnv: {}, nag: false })).toThrow(
      /desiredCount=2 needs the shared database/,
    );
  });

  it('explains every bad value, one line per parameter', () => {
    expect(problems({ allowedCidrs: '203.0.113.7/24' })).toEqual([expect.stringMatching(/^allowedCidrs=.*zero host bits/)]);
    expect(problems({ allowedCidrs: '0.0.0.0/0' })).toEqual([expect.stringMatching(/^allowedCidrs=.*not an allow-list/)]);
    expect(problems({ cognito: 'true' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^certificateArn=.*needs HTTPS/),
        expect.stringMatching(/^domainName=/),
        expect.stringMatching(/^cognitoDomainPrefix=/),
      ]),
    );
    expect(problems({ certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f3c8a52-1b2d-4e5f-8a9b-0c1d2e3f4a5b' })).toEqual([
      expect.stringMatching(/certificate is in eu-west-1 but the stack deploys to us-east-1/),
    ]);
    expect(problems({ cpu: '512', memoryMiB: '512' })).toEqual([
      expect.stringMatching(/^memoryMiB=.*not a Fargate size for cpu=512; allowed: 1024, 2048, 3072, 4096/),
    ]);
    expect(problems({ logRetentionDays: '10' })).toEqual([expect.stringMatching(/^logRetentionDays="10": must be one of/)]);
    expect(problems({ vpcId: 'vpc-0abc1234def567890' })).toEqual([expect.stringMatching(/^account=.*vpcId needs account/)]);
    expect(problems({ dbReaders: '1', dbMinAcu: '0' })).toEqual([expect.stringMatching(/^dbMinAcu=.*cannot pause/)]);
    expect(problems({ env: 'staging' })).toEqual([expect.stringMatching(/^env="staging": unknown environment; known: dev, prod/)]);
  });

  it('refuses a mistyped context key instead of ignoring it', () => {
    expect(problems({ certificateARN: 'x' })).toEqual([expect.stringMatching(/^certificateARN \(context\): unknown deployment parameter/)]);
    // CDK's own context keys are left alone.
    expect(() => load({ '@aws-cdk/core:newStyleStackSynthesis': true, 'acknowledged-issue-numbers': [1] })).not.toThrow();
  });

  it('the alarm price table equals the app ledger price table (one set of public prices)', () => {
    for (const [model, byRegion] of Object.entries(DEFAULT_PRICES.models)) {
      const ledger = byRegion.default;
      expect(BEDROCK_PRICES[model], model).toBeDefined();
      expect(ledger, model).toBeDefined();
      const infra = BEDROCK_PRICES[model]!;
      for (const key of ['input', 'output', 'cacheRead', 'cacheWrite'] as const)
        expect(infra[key], `${model} ${key}`).toBeCloseTo(ledger![key], 12);
    }
    expect(Object.keys(BEDROCK_PRICES).sort()).toEqual(Object.keys(DEFAULT_PRICES.models).sort());
  });
});
