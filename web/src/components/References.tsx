import { useState } from 'react';
import type { Reference } from '../api/types';
import { formatScore, isHttpUrl } from '../i18n/format';
import { useI18n } from '../i18n';
import { Icon } from './Icon';

const COLLAPSED_COUNT = 3;

/** The documents an answer used. Only http(s) URIs become links; s3:// and others stay text. */
export function References({ references }: { references: Reference[] }) {
  const { t } = useI18n();
  const [expanded, setExpanded] = useState(false);
  if (references.length === 0) return null;
  const shown = expanded ? references : references.slice(0, COLLAPSED_COUNT);
  const hidden = references.length - shown.length;
  return (
    <section className="references" aria-label={t('references')}>
      <h3 className="references-title">
        <Icon name="doc" size={15} />
        {t('references')} <span className="count">{references.length}</span>
      </h3>
      <ol>
        {shown.map((ref, i) => (
          <li key={`${ref.id}-${i}`} className="reference">
            <div className="reference-head">
              <span className="reference-index">{i + 1}</span>
              {isHttpUrl(ref.uri) ? (
                <a className="reference-title" href={ref.uri} target="_blank" rel="noopener noreferrer">
                  {ref.title || ref.uri}
                </a>
              ) : (
                <span className="reference-title">{ref.title || ref.uri}</span>
              )}
              <span className="reference-score">{t('relevance', { score: formatScore(ref.score) })}</span>
            </div>
            {ref.excerpt && <p className="reference-excerpt">{ref.excerpt}</p>}
            {ref.uri && !isHttpUrl(ref.uri) && <p className="reference-uri">{ref.uri}</p>}
          </li>
        ))}
      </ol>
      {(hidden > 0 || expanded) && references.length > COLLAPSED_COUNT && (
        <button
          type="button"
          className="btn btn-small btn-quiet references-more"
          aria-expanded={expanded}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? t('showFewerSources') : t('showMoreSources', { n: hidden })}
        </button>
      )}
    </section>
  );
}
