import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../src/config/settings.js';
import { loadPrices } from '../../src/usage/index.js';
import { baseModelId, costUsd, DEFAULT_PRICES, loadPriceTable, PriceBook, PricesFileError, priceFor } from '../../src/usage/prices.js';

const usage = (inputTokens: number, outputTokens: number, cacheReadInputTokens = 0, cacheWriteInputTokens = 0) => ({
  inputTokens,
  outputTokens,
  cacheReadInputTokens,
  cacheWriteInputTokens,
});

function tempFile(content: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dualnova-prices-'));
  const file = path.join(dir, 'prices.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function recordingLogger() {
  const lines: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const logger = {
    warn: (fields: Record<string, unknown>, message: string) => lines.push({ fields, message }),
  } as unknown as ConstructorParameters<typeof PriceBook>[2];
  return { logger, lines };
}

describe('cost arithmetic (USD per 1,000 tokens, hand-computed)', () => {
  it('Nova Pro us-east-1: input, output, cache read at 25 % of input, cache write at the input price', () => {
    // 1000 × 0.0008 + 500 × 0.0032 + 2000 × 0.0002 + 100 × 0.0008, all / 1000
    //  = 0.0008 + 0.0016 + 0.0004 + 0.00008 = 0.00288
    expect(costUsd(DEFAULT_PRICES, 'us.amazon.nova-pro-v1:0', 'us-east-1', usage(1000, 500, 2000, 100))).toBeCloseTo(0.00288, 12);
  });

  it('Nova Micro: 1234 in, 321 out, 4000 cache read', () => {
    // 1234 × 0.000035 = 0.04319; 321 × 0.00014 = 0.04494; 4000 × 0.00000875 = 0.035; sum 0.12313 / 1000
    expect(costUsd(DEFAULT_PRICES, 'amazon.nova-micro-v1:0', 'us-east-1', usage(1234, 321, 4000))).toBeCloseTo(0.00012313, 12);
  });

  it('the cache-read price is a 75 % discount on input for every Nova model, and reading the cache is cheaper than sending the prefix', () => {
    for (const id of ['amazon.nova-micro-v1:0', 'amazon.nova-lite-v1:0', 'amazon.nova-pro-v1:0', 'amazon.nova-premier-v1:0']) {
      const p = priceFor(DEFAULT_PRICES, id, 'us-east-1');
      expect(p, id).not.toBeNull();
      expect(p!.cacheRead).toBeCloseTo(p!.input * 0.25, 15);
      expect(p!.cacheWrite).toBe(p!.input);
    }
    const prefix = 3000;
    const uncached = costUsd(DEFAULT_PRICES, 'us.amazon.nova-pro-v1:0', 'us-east-1', usage(prefix + 200, 100))!;
    const cached = costUsd(DEFAULT_PRICES, 'us.amazon.nova-pro-v1:0', 'us-east-1', usage(200, 100, prefix))!;
    // The saving is exactly 75 % of the prefix at the input price: 3000 × 0.0008 × 0.75 / 1000 = 0.0018.
    expect(uncached - cached).toBeCloseTo(0.0018, 12);
  });

  it('Lite and Premier have their own prices', () => {
    // Lite: 10,000 × 0.00006 + 1,000 × 0.00024 = 0.6 + 0.24 = 0.84 / 1000
    expect(costUsd(DEFAULT_PRICES, 'eu.amazon.nova-lite-v1:0', 'us-east-1', usage(10_000, 1_000))).toBeCloseTo(0.00084, 12);
    // Premier: 2,000 × 0.0025 + 1,000 × 0.0125 = 5 + 12.5 = 17.5 / 1000
    expect(costUsd(DEFAULT_PRICES, 'us.amazon.nova-premier-v1:0', 'us-east-1', usage(2_000, 1_000))).toBeCloseTo(0.0175, 12);
  });

  it('inference profiles and ARNs are priced as their base model', () => {
    expect(baseModelId('us.amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
    expect(baseModelId('apac.amazon.nova-micro-v1:0')).toBe('amazon.nova-micro-v1:0');
    expect(baseModelId('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
    expect(baseModelId('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0')).toBe('amazon.nova-lite-v1:0');
  });

  it('an unknown model costs null — never 0 — with one warning per model; the offline provider costs 0', () => {
    const { logger, lines } = recordingLogger();
    const book = new PriceBook(DEFAULT_PRICES, 'us-east-1', logger);
    expect(book.cost('anthropic.claude-3-haiku', usage(100, 10), true)).toBeNull();
    expect(book.cost('anthropic.claude-3-haiku', usage(5, 1), true)).toBeNull();
    expect(book.cost('llama3.1:8b', usage(5, 1), true)).toBeNull();
    expect(lines.map((l) => l.fields.modelId)).toEqual(['anthropic.claude-3-haiku', 'llama3.1:8b']);
    expect(lines[0]?.message).toMatch(/recorded as unknown \(null\), never as 0; add it with PRICES_FILE/);
    expect(book.cost('offline-extractive', usage(0, 0), false)).toBe(0);
    expect(book.cost('us.amazon.nova-pro-v1:0', usage(0, 0), true)).toBe(0);
  });
});

describe('PRICES_FILE', () => {
  it('adds models and regions and overrides the built-in figures; missing cache prices follow the model family', () => {
    const file = tempFile({
      version: '2026-11-eu',
      source: 'AWS price list, eu-central-1, read 2026-11-03',
      models: {
        'amazon.nova-pro-v1:0': { 'eu-central-1': { input: 0.00105, output: 0.0042 } },
        'llama3.1:8b': { default: { input: 0, output: 0 } },
        'anthropic.claude-3-haiku-20240307-v1:0': { default: { input: 0.00025, output: 0.00125, cacheRead: 0.000025 } },
      },
    });
    const table = loadPriceTable(file);
    expect(table.version).toBe('2026-11-eu');
    // The region's own price wins; other regions keep the built-in default.
    expect(priceFor(table, 'eu.amazon.nova-pro-v1:0', 'eu-central-1')).toEqual({
      input: 0.00105,
      output: 0.0042,
      cacheRead: 0.00105 * 0.25,
      cacheWrite: 0.00105,
    });
    expect(priceFor(table, 'us.amazon.nova-pro-v1:0', 'us-east-1')).toEqual(
      priceFor(DEFAULT_PRICES, 'us.amazon.nova-pro-v1:0', 'us-east-1'),
    );
    // A local model priced 0 on purpose is 0, not unknown.
    expect(costUsd(table, 'llama3.1:8b', 'us-east-1', usage(1000, 1000))).toBe(0);
    // Not Nova: no discount assumed unless given; cache write at the input price.
    expect(priceFor(table, 'anthropic.claude-3-haiku-20240307-v1:0', 'us-east-1')).toEqual({
      input: 0.00025,
      output: 0.00125,
      cacheRead: 0.000025,
      cacheWrite: 0.00025,
    });
  });

  it('replace: true drops the built-in models', () => {
    const table = loadPriceTable(
      tempFile({ version: 'x', source: 'y', replace: true, models: { 'm-1': { default: { input: 1, output: 2 } } } }),
    );
    expect(Object.keys(table.models)).toEqual(['m-1']);
  });

  it('an invalid file stops start-up with one line per problem, naming the entry', () => {
    const bad = tempFile({
      version: '',
      source: 'z',
      models: { 'amazon.nova-pro-v1:0': { 'eu-central': { input: -1, output: '0.1', extra: 1 } } },
    });
    expect(() => loadPriceTable(bad)).toThrow(PricesFileError);
    try {
      loadPriceTable(bad);
    } catch (error) {
      const problems = (error as PricesFileError).problems.join('\n');
      expect(problems).toMatch(/^version: must name the price list version/m);
      expect(problems).toMatch(/^models\.amazon\.nova-pro-v1:0\.eu-central\.input: must be 0 or more$/m);
      expect(problems).toMatch(/^models\.amazon\.nova-pro-v1:0\.eu-central\.output: must be a number \(USD per 1,000 tokens\)$/m);
      expect(problems).toMatch(/^models\.amazon\.nova-pro-v1:0\.eu-central: Unrecognized key: "extra"$/m);
    }
    expect(() =>
      loadPriceTable(
        tempFile({ version: 'v', source: 's', models: { 'amazon.nova-pro-v1:0': { 'eu-central': { input: 1, output: 1 } } } }),
      ),
    ).toThrow(/models\.amazon\.nova-pro-v1:0\.eu-central: must be "default" or a region such as eu-central-1/);
    const settings = loadSettings({ env: { PRICES_FILE: bad, LOG_LEVEL: 'silent' } });
    expect(() => loadPrices(settings)).toThrow(SettingsError);
    expect(() => loadPriceTable(tempFile('{not json'))).toThrow(/not valid JSON/);
    expect(() => loadPriceTable('/nonexistent/prices.json')).toThrow(/cannot be read \(ENOENT\)/);
  });
});

describe('usage settings', () => {
  it('defaults, and one clear line per bad value', () => {
    const s = loadSettings({ env: {} }).usage;
    expect(s).toMatchObject({
      cacheSeconds: 60,
      metrics: { namespace: 'Dualnova', emf: true },
      budgets: { resetHourUtc: 0, warnPercent: 80, gracePercent: 10, deployment: { tokens: undefined, costUsd: undefined } },
    });
    const set = loadSettings({
      env: { DAILY_TOKEN_BUDGET: '1000000', USER_DAILY_COST_BUDGET_USD: '2.5', BUDGET_RESET_HOUR_UTC: '15', METRICS_EMF: 'false' },
    }).usage;
    expect(set.budgets).toMatchObject({ deployment: { tokens: 1_000_000 }, user: { costUsd: 2.5 }, resetHourUtc: 15 });
    expect(set.metrics.emf).toBe(false);
    // The cost alarm follows the daily cost budget unless given.
    expect(loadSettings({ env: { DAILY_COST_BUDGET_USD: '40' } }).usage.alarms.costPerDayUsd).toBe(40);
    expect(() =>
      loadSettings({
        env: { DAILY_TOKEN_BUDGET: '1.5', BUDGET_RESET_HOUR_UTC: '24', METRICS_NAMESPACE: 'AWS/Bedrock', USAGE_CACHE_SECONDS: '1' },
      }),
    ).toThrow(SettingsError);
    try {
      loadSettings({
        env: { DAILY_TOKEN_BUDGET: '1.5', BUDGET_RESET_HOUR_UTC: '24', METRICS_NAMESPACE: 'AWS/Bedrock', ALARM_SNS_TOPIC_ARN: 'topic' },
      });
    } catch (error) {
      const problems = (error as SettingsError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^DAILY_TOKEN_BUDGET="1.5": must be a whole number of tokens/),
          expect.stringMatching(/^BUDGET_RESET_HOUR_UTC="24"/),
          expect.stringMatching(/^METRICS_NAMESPACE="AWS\/Bedrock": .*not starting with AWS\//),
          expect.stringMatching(/^ALARM_SNS_TOPIC_ARN="topic": must be an SNS topic ARN/),
        ]),
      );
    }
  });
});
