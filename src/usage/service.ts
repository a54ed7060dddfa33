/**
 * GET /api/usage, `dualnova usage` and the per-conversation totals: the ledger's figures for a
 * window, the cached CloudWatch view beside them with the reconciliation, alarm and budget states.
 * Never calls AWS on the way: CloudWatch comes from the reader's cache (src/usage/cloudwatch-reader.ts).
 *
 * Who sees what: everyone sees their own ledger, their own and the deployment's budget state; the
 * deployment's ledger, the account-wide CloudWatch figures, the reconciliation and the alarms are
 * for admins (in AUTH_MODE=none the single local user is an admin).
 */
import type { Logger } from '../log/logger.js';
import { systemClock, type Clock, type Timer } from '../time/clock.js';
import type { Amount } from './budgets.js';
import type { Budgets } from './budgets.js';
import type { CloudWatchState, CloudWatchUsageReader } from './cloudwatch-reader.js';
import type { AnswerEstimator, AnswerShape } from './estimate.js';
import type { PriceBook } from './prices.js';
import { WINDOW_SECONDS, type ConversationUsage, type UsageQueries, type UsageWindow } from './queries.js';
import { reconcile } from './reconcile.js';
import type { UsageWarning, UsageReport } from '../contract/usage.js';
export type { UsageReport } from '../contract/usage.js';

export interface UsageViewer {
  userId: string | null;
  admin: boolean;
}

export type UsageScope = 'deployment' | 'me';

/** What the HTTP routes need (src/server knows usage only through this). */
export interface UsageReporter {
  report(request: { window: UsageWindow; viewer: UsageViewer; scope?: UsageScope }): Promise<UsageReport>;
  conversationTotals(conversationId: string): Promise<ConversationUsage>;
  alarms(viewer: UsageViewer): UsageReport['alarms'];
}

export interface UsageServiceOptions {
  /** The sweeper's timer and the report's "now" (tests advance a manual one). */
  clock?: Clock;
  queries: UsageQueries;
  prices: PriceBook;
  budgets: Budgets;
  estimator: AnswerEstimator;
  reader: CloudWatchUsageReader;
  /** The configured model ids (fast, detail, translation); offline mode has none for CloudWatch. */
  modelIds: string[];
  region: string;
  /** How many lanes a typical answer has, for the budget's answer estimate (2 for a bilingual desk). */
  typicalLanes?: number;
  logger?: Logger | undefined;
  now?: () => Date;
}

const RESTRICTED = 'CloudWatch figures and alarms are account-wide: they are shown to admins only.';

export class UsageService implements UsageReporter {
  private sweeper: Timer | undefined;

  constructor(private readonly options: UsageServiceOptions) {}

  /** Releases budget reservations left by crashed processes, now and every minute. */
  start(): void {
    if (this.sweeper || !this.options.budgets.enabled) return;
    const sweep = () =>
      void this.options.budgets
        .sweep()
        .catch((error: unknown) => this.options.logger?.warn({ err: String(error) }, 'budget reservation sweep failed'));
    sweep();
    this.sweeper = (this.options.clock ?? systemClock).every(60_000, sweep);
  }

  async stop(): Promise<void> {
    this.sweeper?.cancel();
    this.sweeper = undefined;
    await this.options.reader.stop();
  }

  get reader(): CloudWatchUsageReader {
    return this.options.reader;
  }

  /** What an answer of this shape reserves against the budgets (an upper bound). */
  estimate(shape: AnswerShape): { full: Amount; overviewOnly: Amount } {
    return this.options.estimator.estimate(shape);
  }

  conversationTotals(conversationId: string): Promise<ConversationUsage> {
    return this.options.queries.conversation(conversationId);
  }

  alarms(viewer: UsageViewer): UsageReport['alarms'] {
    if (!viewer.admin) return { state: 'restricted', reason: RESTRICTED, items: [] };
    return this.alarmsFrom(this.options.reader.current());
  }

  async report({ window, viewer, scope }: { window: UsageWindow; viewer: UsageViewer; scope?: UsageScope }): Promise<UsageReport> {
    const now = this.options.now?.() ?? new Date();
    const wholeDeployment = viewer.admin && (scope ?? 'deployment') === 'deployment';
    const from = new Date(now.getTime() - WINDOW_SECONDS[window] * 1000);
    const userFilter = wholeDeployment ? {} : { userId: viewer.userId };
    const [ledger, unpriced] = await Promise.all([
      this.options.queries.summary({ from, to: now, ...userFilter }),
      this.options.queries.unpricedModels({ from, to: now, ...userFilter }),
    ]);
    const estimate = this.options.estimator.estimate({
      lanes: this.options.typicalLanes ?? 1,
      translation: (this.options.typicalLanes ?? 1) > 1,
      question: 'x'.repeat(200),
    });
    const budgets = await this.options.budgets.view(viewer.userId, estimate.full);

    const warnings: UsageWarning[] = unpriced.map(({ modelId, calls }) => ({
      code: 'unpriced_model' as const,
      modelId,
      message: `No price for ${modelId} in price table ${this.options.prices.table.version}: its ${calls} call(s) have an unknown cost and are not in the cost totals. Add it with PRICES_FILE.`,
    }));
    if (ledger.totals.estimatedCalls > 0) {
      warnings.push({
        code: 'estimated_usage',
        message: `${ledger.totals.estimatedCalls} call(s) were cancelled before the provider reported usage: their tokens are estimated from the text length and flagged as such.`,
      });
    }

    const base: Omit<UsageReport, 'cloudwatch' | 'reconciliation' | 'alarms'> = {
      window,
      generatedAt: now.toISOString(),
      scope: wholeDeployment ? 'deployment' : 'user',
      prices: this.options.prices.describe(),
      ledger: { ...ledger, costUsd: ledger.totals.costUsd, cacheReadShare: ledger.totals.cacheReadShare },
      budgets,
      warnings,
    };
    if (!viewer.admin) {
      return {
        ...base,
        cloudwatch: { state: 'restricted', reason: RESTRICTED, region: this.options.region, byModel: [] },
        reconciliation: [],
        alarms: { state: 'restricted', reason: RESTRICTED, items: [] },
      };
    }

    const state = this.options.reader.current();
    const snapshot = state.metrics.data;
    const cwWindow = snapshot?.windows[window] ?? null;
    if (snapshot?.truncated) warnings.push({ code: 'cloudwatch_truncated', message: snapshot.truncated });
    // The reconciliation compares the same time range: the CloudWatch window, all users, Bedrock calls only.
    // Without CloudWatch figures, the ledger side still shows (the report's own window).
    const ledgerForCloudWatch = await this.options.queries.summary({
      ...(cwWindow ? { from: new Date(cwWindow.from), to: new Date(cwWindow.to) } : { from, to: now }),
      provider: 'bedrock',
    });
    const reason =
      state.metrics.reason ??
      (state.metrics.state === 'pending'
        ? 'CloudWatch figures are being fetched in the background; they appear in a few seconds'
        : undefined);
    return {
      ...base,
      cloudwatch: {
        state: state.metrics.state,
        ...(reason ? { reason } : {}),
        region: this.options.region,
        ...(snapshot ? { fetchedAt: snapshot.fetchedAt } : {}),
        ageSeconds: state.ageSeconds,
        stale: state.stale,
        refreshing: state.refreshing,
        ...(cwWindow ? { from: cwWindow.from, to: cwWindow.to } : {}),
        byModel: cwWindow?.byModelId ?? [],
        ...(snapshot ? { otherModelIds: snapshot.otherModelIds } : {}),
        discovery: state.discovery,
        ...(snapshot?.truncated ? { truncated: snapshot.truncated } : {}),
      },
      reconciliation: reconcile({
        configuredModelIds: this.options.modelIds,
        ledger: ledgerForCloudWatch.byModel,
        cloudwatch: { state: state.metrics.state, reason, window: cwWindow, region: this.options.region },
      }),
      alarms: this.alarmsFrom(state),
    };
  }

  private alarmsFrom(state: CloudWatchState): UsageReport['alarms'] {
    const { alarms } = state;
    const reason = alarms.reason ?? (alarms.state === 'pending' ? 'Alarm states are being fetched in the background' : undefined);
    return {
      state: alarms.state,
      ...(reason ? { reason } : {}),
      prefix: alarms.prefix,
      ...(alarms.checkedAt ? { checkedAt: alarms.checkedAt } : {}),
      items: alarms.data ?? [],
    };
  }
}
