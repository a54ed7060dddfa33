import type { TranslationResult } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { formatCost, formatSeconds, modelLabel } from '../i18n/format';
import { useI18n } from '../i18n';
import { GlossaryTermList } from './GlossaryTermList';
import { highlightSegments } from './translation';

/** A translation: languages, the text (glossary violations marked) with a copy button, and its glossary report. */
export function TranslationResultView({ result }: { result: TranslationResult }) {
  const { t, languageName, locale } = useI18n();
  const marked = result.glossaryViolations.flatMap((v) => (v.found ? [v.found] : []));
  const segments = highlightSegments(result.translatedText, marked);
  const usage = result.usage.inputTokens + result.usage.outputTokens > 0;
  return (
    <section className="translation" aria-label={t('translationResult')}>
      <div className="translation-head">
        <span className="translation-direction">
          {t('translationFromTo', { from: languageName(result.sourceLanguage), to: languageName(result.targetLanguage) })}
        </span>
        <CopyButton key={result.translatedText} getText={() => result.translatedText} label={t('copyTranslation')} />
      </div>
      <div className="translation-text" lang={result.targetLanguage} data-testid="translated-text">
        {segments.map((s, i) => (s.mark ? <mark key={i}>{s.text}</mark> : s.text))}
      </div>
      <p className="translation-stats">
        {modelLabel(result.model) ?? result.model}
        {result.latencyMs >= 50 && ` · ${t('statLatency', { s: formatSeconds(result.latencyMs, locale) })}`}
        {usage && ` · ${result.costUsd === null ? t('statCostUnknown') : formatCost(result.costUsd)}`}
      </p>
      <GlossaryTermList result={result} />
    </section>
  );
}
