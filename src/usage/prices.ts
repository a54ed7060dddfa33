import type { TokenUsage } from '../models/types.js';

/** USD per 1,000 tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  /** Nova bills cache writes at the input rate; priced so, never assumed free. */
  cacheWrite: number;
}

export interface PriceTable {
  version: string;
  /** When the figures were read from the public price list, and where. */
  source: string;
  /** Keyed by base model id; applies to its inference profiles (us./eu./apac.) too. */
  models: Record<string, Record<string, ModelPrice>>;
}

const nova = (input: number, output: number): ModelPrice => ({ input, output, cacheRead: input * 0.25, cacheWrite: input });

/** On-demand prices, us-east-1 (also quoted for us-west-2); cache reads at a 75 % discount. */
export const DEFAULT_PRICES: PriceTable = {
  version: '2025-06',
  source: 'aws.amazon.com/bedrock/pricing, Amazon Nova on-demand, read 2025-06',
  models: {
    'amazon.nova-micro-v1:0': { default: nova(0.000035, 0.00014) },
    'amazon.nova-lite-v1:0': { default: nova(0.00006, 0.00024) },
    'amazon.nova-pro-v1:0': { default: nova(0.0008, 0.0032) },
    'amazon.nova-premier-v1:0': { default: nova(0.0025, 0.0125) },
  },
};

const PROFILE_PREFIX = /^(us|eu|apac|us-gov|global)\./;

export function priceFor(table: PriceTable, modelId: string, region: string): ModelPrice | null {
  const base = modelId.replace(PROFILE_PREFIX, '');
  const byRegion = table.models[base];
  if (!byRegion) return null;
  return byRegion[region] ?? byRegion.default ?? null;
}

/** Cost in USD, or null when the model has no known price (never silently zero). */
export function costUsd(table: PriceTable, modelId: string, region: string, usage: TokenUsage): number | null {
  const price = priceFor(table, modelId, region);
  if (!price) return null;
  const cost =
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadInputTokens * price.cacheRead +
      usage.cacheWriteInputTokens * price.cacheWrite) /
    1000;
  return Math.round(cost * 1e9) / 1e9;
}
