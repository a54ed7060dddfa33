import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Logger } from '../log/logger.js';
import type { TokenUsage } from '../models/types.js';

/** USD per 1,000 tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead: number;
  /**
   * Nova bills no premium for writing the prompt cache: cache-write tokens cost the ordinary input
   * price (Converse reports them apart from `inputTokens`, so they are priced, never assumed free).
   */
  cacheWrite: number;
}

export interface PriceTable {
  version: string;
  /** When the figures were read from the public price list, and where. */
  source: string;
  /** Keyed by base model id; applies to its inference profiles (us./eu./apac.) too. Inner key: region or `default`. */
  models: Record<string, Record<string, ModelPrice>>;
}

/** Nova: cache reads at a 75 % discount on input, cache writes at the input price. */
const nova = (input: number, output: number): ModelPrice => ({ input, output, cacheRead: input * 0.25, cacheWrite: input });

/**
 * On-demand prices, us-east-1 (also quoted for us-west-2), from aws.amazon.com/bedrock/pricing.
 * infra/config/bedrock-prices.ts holds the same figures for the estimated-cost alarm (a test keeps
 * them equal). Other regions can differ: give them in PRICES_FILE.
 */
export const DEFAULT_PRICES: PriceTable = {
  version: '2025-06',
  source: 'aws.amazon.com/bedrock/pricing, Amazon Nova on-demand, us-east-1, read 2025-06',
  models: {
    'amazon.nova-micro-v1:0': { default: nova(0.000035, 0.00014) },
    'amazon.nova-lite-v1:0': { default: nova(0.00006, 0.00024) },
    'amazon.nova-pro-v1:0': { default: nova(0.0008, 0.0032) },
    'amazon.nova-premier-v1:0': { default: nova(0.0025, 0.0125) },
  },
};

const PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;

/**
 * The base model id of what was invoked: `us.amazon.nova-pro-v1:0` and the inference-profile or
 * foundation-model ARNs of it all become `amazon.nova-pro-v1:0`.
 */
export function baseModelId(modelId: string): string {
  const afterArn = modelId.startsWith('arn:') ? modelId.slice(modelId.lastIndexOf('/') + 1) : modelId;
  return afterArn.replace(PROFILE_PREFIX, '');
}

export function priceFor(table: PriceTable, modelId: string, region: string): ModelPrice | null {
  const byRegion = table.models[baseModelId(modelId)] ?? table.models[modelId];
  if (!byRegion) return null;
  return byRegion[region] ?? byRegion.default ?? null;
}

/** Cost in USD, or null when the model has no known price (never silently zero). */
export function costUsd(table: PriceTable, modelId: string, region: string, usage: TokenUsage): number | null {
  const price = priceFor(table, modelId, region);
  if (!price) return null;
  return costOf(price, usage);
}

export function costOf(price: ModelPrice, usage: TokenUsage): number {
  const cost =
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadInputTokens * price.cacheRead +
      usage.cacheWriteInputTokens * price.cacheWrite) /
    1000;
  return roundUsd(cost);
}

export function roundUsd(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

// ---- PRICES_FILE ------------------------------------------------------------------------------

const REGION_KEY = /^(default|[a-z]{2}(-[a-z]+)+-\d)$/;
const usdPerThousand = z.number({ message: 'must be a number (USD per 1,000 tokens)' }).min(0, 'must be 0 or more').finite();
const priceEntry = z
  .object({
    input: usdPerThousand,
    output: usdPerThousand,
    cacheRead: usdPerThousand.optional(),
    cacheWrite: usdPerThousand.optional(),
  })
  .strict();

export const pricesFileSchema = z
  .object({
    version: z.string().trim().min(1, 'must name the price list version, e.g. "2026-11"'),
    source: z.string().trim().min(1, 'must say where and when the prices were read'),
    /** true: use only this file's models; default: add to (and override) the built-in table. */
    replace: z.boolean().optional(),
    models: z.record(z.string().min(1), z.record(z.string(), priceEntry)),
  })
  .strict()
  .superRefine((file, ctx) => {
    for (const [modelId, regions] of Object.entries(file.models)) {
      for (const region of Object.keys(regions)) {
        if (!REGION_KEY.test(region))
          ctx.addIssue({
            code: 'custom',
            path: ['models', modelId, region],
            message: 'must be "default" or a region such as eu-central-1',
          });
      }
    }
  });

/** A PRICES_FILE that cannot be used: one line per problem, naming the entry. */
export class PricesFileError extends Error {
  override readonly name = 'PricesFileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`PRICES_FILE=${file}: ${problems.join('; ')}`);
  }
}

/**
 * The price table in force: the built-in one, with PRICES_FILE's models added or overriding it
 * (a model's regions are merged; `replace: true` drops the built-in models). Missing cache prices
 * default to Nova's rules for Nova models (read 25 % of input, write = input) and to the input price
 * for any other model (no discount assumed).
 */
export function loadPriceTable(file: string | undefined, base: PriceTable = DEFAULT_PRICES): PriceTable {
  if (!file) return base;
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PricesFileError(file, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new PricesFileError(file, [`not valid JSON (${(error as Error).message})`]);
  }
  const parsed = pricesFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new PricesFileError(
      file,
      parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(file)'}: ${issue.message}`),
    );
  }
  const models: PriceTable['models'] = parsed.data.replace ? {} : structuredClone(base.models);
  for (const [modelId, regions] of Object.entries(parsed.data.models)) {
    const isNova = baseModelId(modelId).startsWith('amazon.nova-');
    const entries = Object.fromEntries(
      Object.entries(regions).map(([region, p]) => [
        region,
        {
          input: p.input,
          output: p.output,
          cacheRead: p.cacheRead ?? (isNova ? p.input * 0.25 : p.input),
          cacheWrite: p.cacheWrite ?? p.input,
        },
      ]),
    );
    models[modelId] = { ...(models[modelId] ?? {}), ...entries };
  }
  return { version: parsed.data.version, source: parsed.data.source, models };
}

/**
 * Prices every model call of this deployment. The offline provider costs 0 (no model ran); a model
 * without a price costs null, with one warning per model in the log (and in GET /api/usage).
 */
export class PriceBook {
  private readonly warned = new Set<string>();

  constructor(
    readonly table: PriceTable,
    readonly region: string,
    private readonly logger?: Logger,
    /** True when PRICES_FILE changed the built-in table. */
    readonly overridden = false,
  ) {}

  price(modelId: string): ModelPrice | null {
    return priceFor(this.table, modelId, this.region);
  }

  /** The USD cost of a call: 0 when nothing is billed (extractive answers), null when the model has no price. */
  cost(modelId: string, usage: TokenUsage, billed: boolean): number | null {
    if (!billed) return 0;
    const price = this.price(modelId);
    if (price) return costOf(price, usage);
    if (!this.warned.has(modelId)) {
      this.warned.add(modelId);
      this.logger?.warn(
        { modelId, priceTable: this.table.version, region: this.region },
        `no price for model ${modelId} in price table ${this.table.version}: its cost is recorded as unknown (null), never as 0; add it with PRICES_FILE`,
      );
    }
    return null;
  }

  /** What GET /api/usage and `dualnova usage` say about the table in force. */
  describe(): { version: string; source: string; region: string; overridden: boolean } {
    return { version: this.table.version, source: this.table.source, region: this.region, overridden: this.overridden };
  }
}
