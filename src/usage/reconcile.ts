/**
 * Ledger vs CloudWatch, per configured model, over the same window (the CloudWatch snapshot's own
 * time range, so the age of the cache is not a difference). They rarely agree exactly, and each
 * difference has a usual explanation, which the note gives:
 *   - CloudWatch higher: it counts every caller in the account and region (other apps, other
 *     dualnova deployments, the console), and calls through ids this deployment did not make;
 *   - CloudWatch lower: its metrics arrive a few minutes late, the ledger holds estimated tokens of
 *     cancelled calls, or some calls failed before Bedrock counted them.
 */
import type { CloudWatchModelRow, CloudWatchWindow, SourceState } from './cloudwatch-reader.js';
import { baseModelId } from './prices.js';
import type { LedgerModelRow } from './queries.js';
import type { ReconciledFigures, ReconciliationRow } from '../contract/usage.js';
export type { ReconciliationRow } from '../contract/usage.js';

const FIELDS = ['invocations', 'inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens'] as const;

/** Within 1 % (and 1 call) counts as a match: metric rounding and the minute boundary. */
function close(a: number, b: number, slack: number): boolean {
  return Math.abs(a - b) <= Math.max(slack, Math.max(Math.abs(a), Math.abs(b)) * 0.01);
}

export interface ReconcileInput {
  configuredModelIds: string[];
  /** Bedrock calls of the ledger in the CloudWatch window, all users. */
  ledger: LedgerModelRow[];
  cloudwatch: { state: SourceState; reason?: string | undefined; window: CloudWatchWindow | null; region: string };
}

export function reconcile({ configuredModelIds, ledger, cloudwatch }: ReconcileInput): ReconciliationRow[] {
  return [...new Set(configuredModelIds)].map((modelId) => {
    const base = baseModelId(modelId);
    const ledgerRows = ledger.filter((row) => baseModelId(row.modelId) === base);
    const ledgerFigures = {
      invocations: sum(ledgerRows.map((r) => r.calls)),
      inputTokens: sum(ledgerRows.map((r) => r.inputTokens)),
      outputTokens: sum(ledgerRows.map((r) => r.outputTokens)),
      cacheReadInputTokens: sum(ledgerRows.map((r) => r.cacheReadInputTokens)),
      cacheWriteInputTokens: sum(ledgerRows.map((r) => r.cacheWriteInputTokens)),
      estimatedCalls: sum(ledgerRows.map((r) => r.estimatedCalls)),
      failedCalls: sum(ledgerRows.map((r) => r.failedCalls)),
    };
    const cwRows: CloudWatchModelRow[] =
      cloudwatch.window?.byModelId.filter((row) => row.configuredModelId === modelId || baseModelId(row.modelId) === base) ?? [];
    if (!cloudwatch.window) {
      return {
        modelId,
        cloudwatchModelIds: [],
        ledger: ledgerFigures,
        cloudwatch: null,
        difference: null,
        status: 'unavailable',
        note: `No CloudWatch figures to compare with: ${cloudwatch.reason ?? (cloudwatch.state === 'pending' ? 'the first read is still running' : cloudwatch.state)}.`,
      };
    }
    const cw: ReconciledFigures = Object.fromEntries(FIELDS.map((f) => [f, sum(cwRows.map((r) => r[f]))])) as unknown as ReconciledFigures;
    const difference = Object.fromEntries(FIELDS.map((f) => [f, cw[f] - ledgerFigures[f]])) as unknown as ReconciledFigures;
    const tokens = (x: ReconciledFigures) => x.inputTokens + x.outputTokens + x.cacheReadInputTokens + x.cacheWriteInputTokens;
    const calls = { ledger: ledgerFigures.invocations, cw: cw.invocations };
    const tok = { ledger: tokens(ledgerFigures), cw: tokens(cw) };
    const base_ = { modelId, cloudwatchModelIds: cwRows.map((r) => r.modelId), ledger: ledgerFigures, cloudwatch: cw, difference };

    if (calls.ledger === 0 && calls.cw === 0 && tok.cw === 0)
      return { ...base_, status: 'no-calls', note: 'No calls in this window, in the ledger or in CloudWatch.' };
    const callsMatch = close(calls.cw, calls.ledger, 1);
    const tokensMatch = close(tok.cw, tok.ledger, 1);
    if (callsMatch && tokensMatch) {
      return {
        ...base_,
        status: 'match',
        note: 'The ledger and CloudWatch agree: this deployment is the only caller of this model in the account and region.',
      };
    }
    const higher = tok.cw > tok.ledger || calls.cw > calls.ledger;
    const lower = tok.cw < tok.ledger || calls.cw < calls.ledger;
    const parts: string[] = [];
    if (higher) {
      parts.push(
        `CloudWatch shows ${describe(calls.cw - calls.ledger, tok.cw - tok.ledger, 'more')} than this deployment recorded: it counts every caller of the model in the account and ${cloudwatch.region} (other applications, other dualnova deployments, the console)${cwRows.length > 1 ? `, under ${cwRows.map((r) => r.modelId).join(', ')}` : ''}.`,
      );
    }
    if (lower) {
      const reasons = ['CloudWatch metrics arrive a few minutes late, so the newest calls may not be in yet'];
      if (ledgerFigures.estimatedCalls > 0)
        reasons.push(`${ledgerFigures.estimatedCalls} cancelled call(s) in the ledger have estimated tokens`);
      if (ledgerFigures.failedCalls > 0) reasons.push(`${ledgerFigures.failedCalls} failed call(s) may not have reached the model`);
      parts.push(
        `CloudWatch shows ${describe(calls.ledger - calls.cw, tok.ledger - tok.cw, 'fewer')} than the ledger: ${reasons.join('; ')}.`,
      );
    }
    return { ...base_, status: higher && lower ? 'mixed' : higher ? 'cloudwatch-higher' : 'cloudwatch-lower', note: parts.join(' ') };
  });
}

function describe(calls: number, tokens: number, word: 'more' | 'fewer'): string {
  const bits: string[] = [];
  if (calls > 0) bits.push(`${calls.toLocaleString('en-US')} ${word} invocation${calls === 1 ? '' : 's'}`);
  if (tokens > 0) bits.push(`${tokens.toLocaleString('en-US')} ${word} tokens`);
  return bits.length > 0 ? bits.join(' and ') : `a different split of the same total`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
