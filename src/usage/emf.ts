/**
 * CloudWatch Embedded Metric Format: one JSON line per ledger row on stdout (through the logger). The awslogs driver
 * ships stdout to CloudWatch Logs, which turns each line into metrics (namespace METRICS_NAMESPACE,
 * default `Dualnova`, dimensions Model × Purpose) — per-purpose token, cost and latency metrics
 * with no PutMetricData call and no extra IAM permission. infra/config/metrics.ts is the other
 * side of this contract (the dashboard's SEARCH expressions).
 */
import type { Logger } from '../log/logger.js';
import type { LedgerEntry } from './ledger-entry.js';

export const EMF_DIMENSIONS = ['Model', 'Purpose'] as const;

export const EMF_METRICS = [
  { Name: 'InputTokens', Unit: 'Count' },
  { Name: 'OutputTokens', Unit: 'Count' },
  { Name: 'CacheReadInputTokens', Unit: 'Count' },
  { Name: 'CacheWriteInputTokens', Unit: 'Count' },
  { Name: 'CostUsd', Unit: 'None' },
  { Name: 'LatencyMs', Unit: 'Milliseconds' },
] as const;

export interface EmfSink {
  write(line: string): unknown;
}

export type EmfOutput = (record: Record<string, unknown>) => void;

/** One JSON line per record on a stream. */
export const toLines =
  (sink: EmfSink): EmfOutput =>
  (record) =>
    sink.write(`${JSON.stringify(record)}\n`);

/**
 * Through the app's logger: its JSON lines on stdout (the extra level/time/msg fields are allowed
 * by EMF), at info level whatever LOG_LEVEL says, so LOG_LEVEL=warn keeps the metrics.
 */
export function toLogger(logger: Logger): EmfOutput {
  const child = logger.child({}, { level: 'info' });
  return (record) => child.info(record, 'model call usage');
}

/** The EMF document of one model call. A call without a known price has no CostUsd value (never 0). */
export function emfRecord(namespace: string, entry: LedgerEntry, timestamp: number): Record<string, unknown> {
  const metrics = entry.costUsd === null ? EMF_METRICS.filter((m) => m.Name !== 'CostUsd') : EMF_METRICS;
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[...EMF_DIMENSIONS]], Metrics: metrics.map((m) => ({ ...m })) }],
    },
    Model: entry.modelId,
    Purpose: entry.purpose,
    InputTokens: entry.usage.inputTokens,
    OutputTokens: entry.usage.outputTokens,
    CacheReadInputTokens: entry.usage.cacheReadInputTokens,
    CacheWriteInputTokens: entry.usage.cacheWriteInputTokens,
    ...(entry.costUsd === null ? {} : { CostUsd: entry.costUsd }),
    LatencyMs: entry.latencyMs,
    // Properties (searchable in Logs Insights, not metrics):
    Provider: entry.provider,
    Status: entry.status,
    Estimated: entry.estimated,
    ...(entry.lane ? { Lane: entry.lane } : {}),
    ...(entry.conversationId ? { ConversationId: entry.conversationId } : {}),
    ...(entry.messageId ? { MessageId: entry.messageId } : {}),
    event: 'model_call_usage',
  };
}

export class EmfWriter {
  constructor(
    readonly namespace: string,
    private readonly out: EmfOutput,
    private readonly now: () => number = Date.now,
  ) {}

  write(entry: LedgerEntry): void {
    this.out(emfRecord(this.namespace, entry, this.now()));
  }
}
