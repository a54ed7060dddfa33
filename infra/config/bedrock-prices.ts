/**
 * Bedrock on-demand prices used by the estimated-cost-per-day alarm, USD per 1,000 tokens.
 * Source: aws.amazon.com/bedrock/pricing, Amazon Nova on-demand, us-east-1 (also us-west-2), read 2025-06 —
 * the same figures as the app's ledger (src/usage/prices.ts; a test keeps the two equal).
 * Cache reads are billed at 25 % of the input price, cache writes at the input price.
 * Keyed by base model id: inference profiles (us./eu./apac.) are billed as their model.
 */
export const BEDROCK_PRICES_SOURCE = 'aws.amazon.com/bedrock/pricing, Amazon Nova on-demand, us-east-1, read 2025-06';

export interface TokenPrice {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const nova = (input: number, output: number): TokenPrice => ({ input, output, cacheRead: input * 0.25, cacheWrite: input });

export const BEDROCK_PRICES: Readonly<Record<string, TokenPrice>> = {
  'amazon.nova-micro-v1:0': nova(0.000035, 0.00014),
  'amazon.nova-lite-v1:0': nova(0.00006, 0.00024),
  'amazon.nova-pro-v1:0': nova(0.0008, 0.0032),
  'amazon.nova-premier-v1:0': nova(0.0025, 0.0125),
};

/** `us.amazon.nova-pro-v1:0` → the price of `amazon.nova-pro-v1:0`; undefined for unknown models. */
export function bedrockPrice(modelId: string): TokenPrice | undefined {
  return BEDROCK_PRICES[modelId.replace(/^(?:us|eu|apac|us-gov|global)\./, '')];
}
