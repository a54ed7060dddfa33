/**
 * Daily token and USD budgets, for the whole deployment and per user, enforced without races —
 * across concurrent requests and, on a shared PostgreSQL, across containers.
 *
 * One counter row per scope (`deployment`, `user:<id>`) and budget day holds what was used
 * (added by the ledger, in the same transaction as each usage row) and what is reserved by answers
 * still running. Before any model call an answer reserves its estimate with a single conditional
 * UPDATE … WHERE used + reserved + estimate <= limit RETURNING, inside one transaction for both
 * scopes: PostgreSQL re-checks the WHERE on the latest row version after a concurrent update, and
 * SQLite runs one transaction at a time, so two answers can never both take the last room. When
 * the answer ends, the reservation is released (its real usage is already counted by the ledger).
 *
 * The policy (docs/operations.md, "Budgets"):
 *   - full answer        when its whole estimate fits within every budget;
 *   - overview only      (warning `budget_degraded`) when it does not, but the overview-only estimate
 *                        fits within budget + BUDGET_GRACE_PERCENT (default 10 %);
 *   - refused            (HTTP 429 `budget_exhausted`, Retry-After = time to the reset) otherwise;
 *   - `budget_warning`   on a full answer once used + reserved reaches BUDGET_WARN_PERCENT (80 %).
 * Estimates are upper bounds (maxTokens for output), so the spend never passes a budget by more
 * than what one answer's input estimate misjudged.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '../errors/app-error.js';
import type { BudgetLimits, UsageSettings } from '../config/usage-settings.js';
import type { Logger } from '../log/logger.js';
import type { Database } from '../store/schema.js';
import type { Amount, LimitView, BudgetState, ScopeView, BudgetsView } from '../contract/usage.js';
export type { Amount, LimitView, BudgetState, ScopeView, BudgetsView } from '../contract/usage.js';

export const DEPLOYMENT_SCOPE = 'deployment';
export const userScope = (userId: string | null): string => `user:${userId ?? 'anonymous'}`;

/** Reservations older than this are released by the sweeper (a process died mid-answer). */
export const RESERVATION_TTL_MS = 15 * 60_000;

export interface BudgetPeriod {
  /** Counter key: the ISO start of the budget day. */
  key: string;
  start: Date;
  end: Date;
}

/** The budget day that contains `now`: from BUDGET_RESET_HOUR_UTC to the same hour the next day. */
export function budgetPeriod(now: Date, resetHourUtc: number): BudgetPeriod {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), resetHourUtc));
  if (start.getTime() > now.getTime()) start.setUTCDate(start.getUTCDate() - 1);
  const end = new Date(start);
  end.setUTCDate(end.getUTCDate() + 1);
  return { key: start.toISOString(), start, end };
}

/**
 * Adds one model call to the counters of its scopes (inside the ledger's transaction). Upserts, so
 * the first call of a budget day creates the row; deployment first, then user: the same lock order
 * as reservations, so the two never deadlock on PostgreSQL.
 */
export async function addToCounters(trx: Kysely<Database>, scopes: string[], period: string, amount: Amount, now: string): Promise<void> {
  for (const scope of scopes) {
    await trx
      .insertInto('budget_counters')
      .values({
        scope,
        period,
        used_tokens: amount.tokens,
        used_cost_usd: amount.costUsd,
        calls: 1,
        reserved_tokens: 0,
        reserved_cost_usd: 0,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['scope', 'period']).doUpdateSet({
          used_tokens: sql`budget_counters.used_tokens + excluded.used_tokens`,
          used_cost_usd: sql`budget_counters.used_cost_usd + excluded.used_cost_usd`,
          calls: sql`budget_counters.calls + 1`,
          updated_at: now,
        }),
      )
      .execute();
  }
}

export type AdmissionMode = 'full' | 'overview-only';

export interface BudgetNotice {
  code: 'budget_warning' | 'budget_degraded';
  message: string;
}

export interface Admission {
  mode: AdmissionMode;
  /** Sent as `warning` events right after `meta`. */
  warnings: BudgetNotice[];
  /** Releases the reservation; safe to call more than once. */
  release(): Promise<void>;
}

/** 429 before any model call; `retryAfterSeconds` is the time to the budget reset. */
export class BudgetExhaustedError extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super('budget_exhausted', 429, message, { retryAfterSeconds });
  }
}

interface CounterRow {
  used_tokens: number | string;
  used_cost_usd: number;
  reserved_tokens: number | string;
  reserved_cost_usd: number;
  calls?: number | string;
}

class NoRoom extends Error {
  constructor(readonly scope: string) {
    super(`no room in ${scope}`);
  }
}

const SETTING = {
  deployment: { tokens: 'DAILY_TOKEN_BUDGET', costUsd: 'DAILY_COST_BUDGET_USD' },
  user: { tokens: 'USER_DAILY_TOKEN_BUDGET', costUsd: 'USER_DAILY_COST_BUDGET_USD' },
} as const;

const num = (value: number | string | null | undefined): number => (value === null || value === undefined ? 0 : Number(value));

export class Budgets {
  private readonly config: UsageSettings['budgets'];

  constructor(
    private readonly db: Kysely<Database>,
    config: UsageSettings['budgets'],
    private readonly options: { logger?: Logger | undefined; now?: () => Date } = {},
  ) {
    this.config = config;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  get resetHourUtc(): number {
    return this.config.resetHourUtc;
  }

  /** Whether any budget is set at all (otherwise answers are never reserved for). */
  get enabled(): boolean {
    return hasLimit(this.config.deployment) || hasLimit(this.config.user);
  }

  period(now: Date = this.now()): BudgetPeriod {
    return budgetPeriod(now, this.config.resetHourUtc);
  }

  /**
   * Decides how an answer may run and reserves its estimate: full, overview-only, or a
   * BudgetExhaustedError (thrown before anything was stored or called).
   */
  async admit(userId: string | null, estimate: { full: Amount; overviewOnly: Amount }): Promise<Admission> {
    const free: Admission = { mode: 'full', warnings: [], release: async () => undefined };
    // Nothing to reserve when no budget is set, or when answers cost nothing (the offline provider).
    if (!this.enabled || (estimate.full.tokens === 0 && estimate.full.costUsd === 0)) return free;
    const period = this.period();
    const scopes = this.limitedScopes(userId);
    if (scopes.length === 0) return free;

    const full = await this.tryReserve(scopes, period, estimate.full, 'full', 1);
    if (full.ok) {
      const warnings = await this.warningsAfter(scopes, period, full.rows);
      return { mode: 'full', warnings, release: once(() => this.release(full.id)) };
    }
    const grace = 1 + this.config.gracePercent / 100;
    const overview = await this.tryReserve(scopes, period, estimate.overviewOnly, 'overview-only', grace);
    if (overview.ok) {
      const notice = this.describeBlock(full.scope, await this.counter(full.scope, period.key), period);
      return {
        mode: 'overview-only',
        warnings: [
          {
            code: 'budget_degraded',
            message: `${notice.what} is used up (${notice.figures}): this answer is the overview only, without the detailed part. Full answers resume ${notice.resume}, or when an admin raises ${notice.setting}.`,
          },
        ],
        release: once(() => this.release(overview.id)),
      };
    }
    const notice = this.describeBlock(overview.scope, await this.counter(overview.scope, period.key), period);
    const retryAfter = Math.max(1, Math.ceil((period.end.getTime() - this.now().getTime()) / 1000));
    this.options.logger?.warn(
      { scope: overview.scope.startsWith('user:') ? 'user' : 'deployment', period: period.key },
      'answer refused: daily budget exhausted',
    );
    throw new BudgetExhaustedError(
      `${notice.what} is used up (${notice.figures}), including the ${this.config.gracePercent}% allowance for overview-only answers. Answers resume ${notice.resume} (in ${formatDuration(retryAfter)}); an admin can raise ${notice.setting}.`,
      retryAfter,
    );
  }

  /**
   * A check without reservation, for small calls (the free-text translator): refused only when a
   * budget is exhausted beyond its grace allowance. Throws BudgetExhaustedError.
   */
  async check(userId: string | null): Promise<void> {
    if (!this.enabled) return;
    const period = this.period();
    const grace = 1 + this.config.gracePercent / 100;
    for (const scope of this.limitedScopes(userId)) {
      const row = await this.counter(scope, period.key);
      const limits = this.limitsOf(scope);
      const tokensOver =
        limits.tokens !== undefined && num(row?.used_tokens) + num(row?.reserved_tokens) >= Math.floor(limits.tokens * grace);
      const costOver = limits.costUsd !== undefined && num(row?.used_cost_usd) + num(row?.reserved_cost_usd) >= limits.costUsd * grace;
      if (tokensOver || costOver) {
        const notice = this.describeBlock(scope, row, period);
        const retryAfter = Math.max(1, Math.ceil((period.end.getTime() - this.now().getTime()) / 1000));
        throw new BudgetExhaustedError(
          `${notice.what} is used up (${notice.figures}). Translations resume ${notice.resume}; an admin can raise ${notice.setting}.`,
          retryAfter,
        );
      }
    }
  }

  /** Returns a reservation's amounts to its counters. Idempotent: the row is deleted first. */
  async release(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .deleteFrom('budget_reservations')
        .where('id', '=', id)
        .returning(['period', 'scopes', 'tokens', 'cost_usd'])
        .executeTakeFirst();
      if (!row) return;
      const scopes = JSON.parse(row.scopes) as string[];
      for (const scope of scopes) {
        await trx
          .updateTable('budget_counters')
          .set({
            reserved_tokens: sql`reserved_tokens - ${num(row.tokens)}`,
            reserved_cost_usd: sql`reserved_cost_usd - ${row.cost_usd}`,
            updated_at: this.now().toISOString(),
          })
          .where('scope', '=', scope)
          .where('period', '=', row.period)
          .execute();
      }
    });
  }

  /** Releases reservations left behind by a process that died mid-answer. Returns how many. */
  async sweep(maxAgeMs = RESERVATION_TTL_MS): Promise<number> {
    const cutoff = new Date(this.now().getTime() - maxAgeMs).toISOString();
    const stale = await this.db.selectFrom('budget_reservations').select('id').where('created_at', '<', cutoff).execute();
    for (const { id } of stale) await this.release(id);
    if (stale.length > 0)
      this.options.logger?.warn({ released: stale.length }, 'released budget reservations of answers that never finished');
    return stale.length;
  }

  /** Today's counters and limits for the deployment and one user. */
  async view(userId: string | null, answerEstimate?: Amount): Promise<BudgetsView> {
    const period = this.period();
    const [deployment, user] = await Promise.all([this.counter(DEPLOYMENT_SCOPE, period.key), this.counter(userScope(userId), period.key)]);
    return {
      enabled: this.enabled,
      resetHourUtc: this.config.resetHourUtc,
      period: { start: period.start.toISOString(), end: period.end.toISOString() },
      warnPercent: this.config.warnPercent,
      gracePercent: this.config.gracePercent,
      deployment: this.scopeView('deployment', this.config.deployment, deployment),
      user: this.scopeView('user', this.config.user, user),
      ...(answerEstimate && this.enabled ? { answerEstimate } : {}),
    };
  }

  // ---------------------------------------------------------------------------------------------

  private limitsOf(scope: string): BudgetLimits {
    return scope === DEPLOYMENT_SCOPE ? this.config.deployment : this.config.user;
  }

  /** Deployment first, then the user: the lock order every writer uses. */
  private limitedScopes(userId: string | null): string[] {
    return [...(hasLimit(this.config.deployment) ? [DEPLOYMENT_SCOPE] : []), ...(hasLimit(this.config.user) ? [userScope(userId)] : [])];
  }

  private async tryReserve(
    scopes: string[],
    period: BudgetPeriod,
    amount: Amount,
    mode: AdmissionMode,
    factor: number,
  ): Promise<{ ok: true; id: string; rows: Map<string, CounterRow> } | { ok: false; scope: string }> {
    const id = randomUUID();
    const tokens = Math.ceil(amount.tokens);
    const cost = amount.costUsd;
    const now = this.now().toISOString();
    try {
      const rows = await this.db.transaction().execute(async (trx) => {
        const seen = new Map<string, CounterRow>();
        for (const scope of scopes) {
          await this.ensureCounter(trx, scope, period.key, now);
          const limits = this.limitsOf(scope);
          let update = trx
            .updateTable('budget_counters')
            .set({
              reserved_tokens: sql`reserved_tokens + ${tokens}`,
              reserved_cost_usd: sql`reserved_cost_usd + ${cost}`,
              updated_at: now,
            })
            .where('scope', '=', scope)
            .where('period', '=', period.key);
          if (limits.tokens !== undefined)
            update = update.where(sql`used_tokens + reserved_tokens + ${tokens}`, '<=', Math.floor(limits.tokens * factor));
          if (limits.costUsd !== undefined)
            update = update.where(sql`used_cost_usd + reserved_cost_usd + ${cost}`, '<=', limits.costUsd * factor);
          const row = await update.returning(['used_tokens', 'used_cost_usd', 'reserved_tokens', 'reserved_cost_usd']).executeTakeFirst();
          if (!row) throw new NoRoom(scope);
          seen.set(scope, row);
        }
        await trx
          .insertInto('budget_reservations')
          .values({ id, period: period.key, scopes: JSON.stringify(scopes), tokens, cost_usd: cost, mode, created_at: now })
          .execute();
        return seen;
      });
      return { ok: true, id, rows };
    } catch (error) {
      if (error instanceof NoRoom) return { ok: false, scope: error.scope };
      throw error;
    }
  }

  private async ensureCounter(trx: Transaction<Database>, scope: string, period: string, now: string): Promise<void> {
    await trx
      .insertInto('budget_counters')
      .values({ scope, period, used_tokens: 0, used_cost_usd: 0, calls: 0, reserved_tokens: 0, reserved_cost_usd: 0, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'period']).doNothing())
      .execute();
  }

  private async counter(scope: string, period: string): Promise<CounterRow | undefined> {
    return this.db
      .selectFrom('budget_counters')
      .select(['used_tokens', 'used_cost_usd', 'reserved_tokens', 'reserved_cost_usd', 'calls'])
      .where('scope', '=', scope)
      .where('period', '=', period)
      .executeTakeFirst();
  }

  private async warningsAfter(scopes: string[], period: BudgetPeriod, rows: Map<string, CounterRow>): Promise<BudgetNotice[]> {
    const warnings: BudgetNotice[] = [];
    for (const scope of scopes) {
      const row = rows.get(scope);
      const limits = this.limitsOf(scope);
      const kind = scope === DEPLOYMENT_SCOPE ? 'deployment' : 'user';
      const checks: Array<{ key: 'tokens' | 'costUsd'; limit: number | undefined; used: number }> = [
        { key: 'tokens', limit: limits.tokens, used: num(row?.used_tokens) + num(row?.reserved_tokens) },
        { key: 'costUsd', limit: limits.costUsd, used: num(row?.used_cost_usd) + num(row?.reserved_cost_usd) },
      ];
      for (const check of checks) {
        if (check.limit === undefined) continue;
        const percent = (check.used / check.limit) * 100;
        if (percent < this.config.warnPercent) continue;
        warnings.push({
          code: 'budget_warning',
          message: `${budgetName(kind, check.key)} is ${Math.min(100, Math.floor(percent))}% used or reserved (${figure(check.key, check.used)} of ${figure(check.key, check.limit)}). Answers become overview-only when it runs out; it resets ${resetText(period)}.`,
        });
      }
    }
    return warnings;
  }

  /** Which budget of a scope blocks, in words: the one most used relative to its limit. */
  private describeBlock(
    scope: string,
    row: CounterRow | undefined,
    period: BudgetPeriod,
  ): { what: string; figures: string; setting: string; resume: string } {
    const kind = scope === DEPLOYMENT_SCOPE ? 'deployment' : 'user';
    const limits = this.limitsOf(scope);
    const tokensUsed = num(row?.used_tokens) + num(row?.reserved_tokens);
    const costUsed = num(row?.used_cost_usd) + num(row?.reserved_cost_usd);
    const tokenShare = limits.tokens ? tokensUsed / limits.tokens : -1;
    const costShare = limits.costUsd ? costUsed / limits.costUsd : -1;
    const key: 'tokens' | 'costUsd' = costShare > tokenShare ? 'costUsd' : 'tokens';
    const limit = (key === 'tokens' ? limits.tokens : limits.costUsd) ?? 0;
    const used = key === 'tokens' ? tokensUsed : costUsed;
    return {
      what: budgetName(kind, key),
      figures: `${figure(key, used)} of ${figure(key, limit)}`,
      setting: SETTING[kind][key],
      resume: `when the budget resets ${resetText(period)}`,
    };
  }

  private scopeView(scope: 'deployment' | 'user', limits: BudgetLimits, row: CounterRow | undefined): ScopeView {
    const tokens = limitView(limits.tokens, num(row?.used_tokens), num(row?.reserved_tokens));
    const costUsd = limitView(limits.costUsd, round6(num(row?.used_cost_usd)), round6(num(row?.reserved_cost_usd)));
    return { scope, tokens, costUsd, calls: num(row?.calls), state: this.stateOf([tokens, costUsd]) };
  }

  private stateOf(views: LimitView[]): BudgetState {
    const percents = views.map((v) => v.percent).filter((p): p is number => p !== null);
    if (percents.length === 0) return 'unlimited';
    const worst = Math.max(...percents);
    if (worst >= 100 + this.config.gracePercent) return 'exhausted';
    if (worst >= 100) return 'degraded';
    if (worst >= this.config.warnPercent) return 'warning';
    return 'ok';
  }
}

function hasLimit(limits: BudgetLimits): boolean {
  return limits.tokens !== undefined || limits.costUsd !== undefined;
}

function limitView(limit: number | undefined, used: number, reserved: number): LimitView {
  return { limit: limit ?? null, used, reserved, percent: limit ? Math.round(((used + reserved) / limit) * 1000) / 10 : null };
}

function budgetName(kind: 'deployment' | 'user', key: 'tokens' | 'costUsd'): string {
  const what = key === 'tokens' ? 'token budget' : 'cost budget';
  return kind === 'deployment' ? `Today's ${what} of this deployment` : `Your daily ${what}`;
}

function figure(key: 'tokens' | 'costUsd', value: number): string {
  return key === 'tokens' ? `${Math.round(value).toLocaleString('en-US')} tokens` : `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

function resetText(period: BudgetPeriod): string {
  return `at ${String(period.end.getUTCHours()).padStart(2, '0')}:00 UTC`;
}

function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.ceil((seconds % 3600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
