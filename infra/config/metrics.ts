/**
 * The app's own metrics, written as CloudWatch Embedded Metric Format lines to its log stream
 * (no PutMetricData call, no extra permission). The dashboard reads them with SEARCH expressions,
 * so a new purpose or model shows up without a deployment. This is the contract with src/usage.
 */
export const APP_METRICS = {
  namespace: 'Dualnova',
  /** Dimension set of every usage metric. */
  dimensions: ['Model', 'Purpose'],
  /** Purposes the relay and translator record. */
  purposes: ['overview', 'detail', 'translate-question', 'translate-text'],
  names: {
    inputTokens: 'InputTokens',
    outputTokens: 'OutputTokens',
    cacheReadInputTokens: 'CacheReadInputTokens',
    costUsd: 'CostUsd',
    latencyMs: 'LatencyMs',
  },
} as const;
