import { formatCost, formatCount, formatSeconds, modelLabel } from '../i18n/format';
import { useI18n } from '../i18n';
import type { PartView } from '../chat/streamReducer';

/** The quiet line under a finished part: model · tokens · latency · cost. */
export function PartStats({ part }: { part: PartView }) {
  const { t, locale } = useI18n();
  const model = modelLabel(part.model);
  const bits: string[] = [];
  // The offline provider reports no tokens: say nothing rather than "0 tokens · $0".
  const usage = part.usage && part.usage.inputTokens + part.usage.outputTokens > 0 ? part.usage : null;
  if (usage) {
    bits.push(t('statTokens', { input: formatCount(usage.inputTokens, locale), output: formatCount(usage.outputTokens, locale) }));
    if (usage.cacheReadInputTokens > 0) bits.push(t('statCache', { n: formatCount(usage.cacheReadInputTokens, locale) }));
  }
  if (part.latencyMs !== null && part.latencyMs >= 50) bits.push(t('statLatency', { s: formatSeconds(part.latencyMs, locale) }));
  if (usage) bits.push(part.costUsd === null ? t('statCostUnknown') : formatCost(part.costUsd));
  if (!model && bits.length === 0) return null;
  return (
    <p className="part-stats">
      {model && (
        <span className="model-chip" title={part.model ?? undefined}>
          {model}
        </span>
      )}
      {bits.length > 0 && <span>{bits.join(' · ')}</span>}
    </p>
  );
}
