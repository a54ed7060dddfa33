import type { TranslationResult } from '../api/types';
import { Icon } from '../components/Icon';
import { useI18n, type LabelKey } from '../i18n';
import { renderedInstead, termStatus } from './translation';

/**
 * The glossary terms the source text mentions: as written → the glossary name in the target
 * language, and how the translation wrote it. Terms the translation got wrong are highlighted.
 */
export function GlossaryTermList({ result }: { result: TranslationResult }) {
  const { t, languageName } = useI18n();
  // The violations are entries of the term list (both come from the same source text).
  const { glossaryTerms: all, glossaryViolations: violations, targetLanguage } = result;
  const rows = all.map((term) => ({ term, status: termStatus(term, violations) }));
  const toCheck = rows.filter((r) => r.status === 'other' || r.status === 'missing').length;
  return (
    <section className="term-list" aria-label={t('glossaryTerms')}>
      <h3 className="term-list-title">
        <Icon name="book" size={15} />
        {t('glossaryTerms')} <span className="count">{all.length}</span>
        {toCheck > 0 && <span className="term-list-warn">{t('glossaryTermsToCheck', { n: toCheck })}</span>}
      </h3>
      {all.length === 0 ? (
        <p className="placeholder">{t('glossaryTermsNone')}</p>
      ) : (
        <ul>
          {rows.map(({ term, status }) => {
            const instead = renderedInstead(term, violations);
            return (
              <li key={term.term} className={`term term-${status}`} data-term={term.term} data-status={status}>
                <span className="term-pair">
                  <span lang={term.sourceLanguage}>{term.source}</span>
                  <span className="term-arrow" aria-hidden="true">
                    →
                  </span>
                  <span className="visually-hidden">, </span>
                  <span lang={targetLanguage} className="term-expected">
                    {term.expected ?? term.rendered ?? '—'}
                  </span>
                </span>
                <span className="term-category">{t(`category_${term.category}` as LabelKey)}</span>
                <span className="term-status">
                  {status === 'ok' && (
                    <>
                      <Icon name="check" size={13} />
                      {t('termAsGlossary')}
                      {term.rendered && term.expected && term.rendered !== term.expected ? ` (${term.rendered})` : ''}
                    </>
                  )}
                  {status === 'other' && (
                    <>
                      <Icon name="warning" size={13} />
                      {t('termWrittenAs', { rendered: instead ?? '?', expected: term.expected ?? '' })}
                    </>
                  )}
                  {status === 'missing' && (
                    <>
                      <Icon name="warning" size={13} />
                      {t('termMissing')}
                    </>
                  )}
                  {status === 'no-name' && t('termNoName', { lang: languageName(targetLanguage) })}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
