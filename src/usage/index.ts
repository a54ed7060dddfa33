/**
 * Composition of token accounting for one deployment (called by src/app/runtime.ts): the price
 * book, the ledger (with budget counters and EMF lines), the budgets and their answer estimator,
 * the CloudWatch reader and the report service.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { systemClock, type Clock } from '../time/clock.js';
import { SettingsError, type Settings } from '../config/settings.js';
import type { Logger } from '../log/logger.js';
import type { TokenUsage } from '../models/types.js';
import type { RelayModels } from '../relay/types.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { DailyAnswerBudget, type AnswerBudget } from './answer-budget.js';
import { Budgets } from './budgets.js';
import { CloudWatchUsageReader } from './cloudwatch-reader.js';
import { EmfWriter, toLines, toLogger, type EmfSink } from './emf.js';
import { AnswerEstimator } from './estimate.js';
import { UsageLedger } from './ledger.js';
import { DEFAULT_PRICES, loadPriceTable, PriceBook, PricesFileError } from './prices.js';
import { UsageQueries } from './queries.js';
import { UsageService } from './service.js';

export interface UsageParts {
  prices: PriceBook;
  ledger: UsageLedger;
  budgets: Budgets;
  /** Given to the chat use case when any budget is set. */
  answerBudget: AnswerBudget | undefined;
  service: UsageService;
  /** Prices one finished call (the relay's and the translators' `price`). */
  price: (modelId: string, usage: TokenUsage, billed: boolean) => number | null;
}

export interface UsageInput {
  settings: Settings;
  db: Kysely<Database>;
  logger: Logger;
  /** Whether answering calls are billed (generative) or free (extractive). */
  billed: boolean;
  relay: RelayModels;
  /** The model that translates questions, when questions are translated. */
  translationModelId: string | undefined;
  /** Tokens of the current static prompt prefix. */
  prefixTokens: () => number;
  /** The CloudWatch client of the Bedrock region (built on first use only). */
  cloudwatch: () => CloudWatchClient;
  /** Whether AWS may be called at all (awsAccess), and why not. */
  awsAccess: { enabled: boolean; reason: string };
  /** Where EMF lines go (default: the logger's stdout). */
  emfSink?: EmfSink;
  /** The price book, when already loaded (runtime loads it first to fail fast). */
  prices?: PriceBook;
  /** The time source of the ledger, budgets, report windows, CloudWatch cache and sweeper (default: system). */
  clock?: Clock;
}

/** The price table in force; an unusable PRICES_FILE stops start-up with one line per problem. */
export function loadPrices(settings: Settings, logger?: Logger): PriceBook {
  try {
    const table = loadPriceTable(settings.usage.pricesFile);
    return new PriceBook(table, settings.bedrockRegion, logger, table !== DEFAULT_PRICES);
  } catch (error) {
    if (error instanceof PricesFileError) throw new SettingsError(error.problems.map((p) => `PRICES_FILE=${error.file}: ${p}`));
    throw error;
  }
}

export function createUsage(input: UsageInput): UsageParts {
  const { settings, db, logger } = input;
  const prices = input.prices ?? loadPrices(settings, logger);
  const clock = input.clock ?? systemClock;
  const now = () => new Date(clock.now());
  // LOG_LEVEL=silent means nothing on stdout, EMF included.
  const emf =
    settings.usage.metrics.emf && settings.logLevel !== 'silent'
      ? new EmfWriter(settings.usage.metrics.namespace, input.emfSink ? toLines(input.emfSink) : toLogger(logger))
      : undefined;
  const ledger = new UsageLedger(db, { resetHourUtc: settings.usage.budgets.resetHourUtc, emf, now });
  const budgets = new Budgets(db, settings.usage.budgets, { logger, now });
  const estimator = new AnswerEstimator({
    billed: input.billed,
    overview: { modelId: input.relay.overview.modelId, maxTokens: input.relay.overview.inference.maxTokens },
    detail: { modelId: input.relay.detail.modelId, maxTokens: input.relay.detail.inference.maxTokens },
    ...(input.translationModelId
      ? { translation: { modelId: input.translationModelId, maxTokens: input.relay.overview.inference.maxTokens } }
      : {}),
    prefixTokens: input.prefixTokens,
    historyTokenBudget: settings.historyTokenBudget,
    retrieveTopK: settings.retrieveTopK,
    prices,
  });
  const modelIds = [
    ...new Set([settings.fastModelId, settings.detailModelId, ...(settings.translationModelId ? [settings.translationModelId] : [])]),
  ];
  const reader = new CloudWatchUsageReader({
    client: input.cloudwatch,
    access: input.awsAccess,
    region: settings.bedrockRegion,
    modelIds,
    alarmNamePrefix: settings.alarmNamePrefix,
    cacheSeconds: settings.usage.cacheSeconds,
    prices,
    logger,
    now: () => clock.now(),
  });
  const service = new UsageService({
    queries: new UsageQueries(db),
    prices,
    budgets,
    estimator,
    reader,
    modelIds,
    region: settings.bedrockRegion,
    typicalLanes: 2,
    logger,
    clock,
    now,
  });
  if (budgets.enabled && settings.usage.budgets.deployment.costUsd !== undefined) {
    const unpriced = [input.relay.overview.modelId, input.relay.detail.modelId].filter((id) => input.billed && prices.price(id) === null);
    if (unpriced.length > 0)
      logger.warn(
        { unpriced },
        'a cost budget is set but these models have no price: their calls count toward token budgets only (add prices with PRICES_FILE)',
      );
  }
  return {
    prices,
    ledger,
    budgets,
    answerBudget: budgets.enabled ? new DailyAnswerBudget(budgets, estimator) : undefined,
    service,
    price: (modelId, usage, billed) => prices.cost(modelId, usage, billed),
  };
}
