import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { GlossaryCategory } from '../api/types';
import { Notice } from '../components/Notice';
import { useApi } from '../hooks/useApi';
import { useI18n, type LabelKey } from '../i18n';
import { GlossaryEntryCard } from './GlossaryEntryCard';
import { filterGlossary, GLOSSARY_CATEGORIES, isGlossaryCategory } from './search';

interface Props {
  /** The panel is showing: the glossary and its status are fetched again (the server reloads an edited file). */
  active: boolean;
  /** A search asked for from elsewhere ("Show in glossary" on an answer). */
  query: { text: string; request: number };
}

/** GET /api/glossary, searched in the browser over names and aliases in every language; GET /api/glossary/status. */
export function GlossaryPanel({ active, query }: Props) {
  const { t, errorText, locale } = useI18n();
  const id = useId();
  const glossary = useApi('glossary', (signal) => api.glossary(signal));
  const status = useApi('glossary-status', (signal) => api.glossaryStatus(signal));
  const [search, setSearch] = useState(query.text);
  const [category, setCategory] = useState<GlossaryCategory | 'all'>('all');

  const { reload: reloadGlossary } = glossary;
  const { reload: reloadStatus } = status;
  const wasActive = useRef(active);
  useEffect(() => {
    if (active && !wasActive.current) {
      reloadGlossary();
      reloadStatus();
    }
    wasActive.current = active;
  }, [active, reloadGlossary, reloadStatus]);

  const lastRequest = useRef(query.request);
  useEffect(() => {
    if (query.request === lastRequest.current) return;
    lastRequest.current = query.request;
    setSearch(query.text);
    setCategory('all');
  }, [query]);

  const entries = useMemo(() => glossary.data?.entries ?? [], [glossary.data]);
  const shown = useMemo(() => filterGlossary(entries, search, category), [entries, search, category]);
  const fmt = (n: number) => new Intl.NumberFormat(locale).format(n);
  const broken = status.data && !status.data.ok ? status.data.error : null;

  return (
    <div className="glossary-panel">
      {glossary.data && <p className="tool-intro">{t('glossaryVersion', { game: glossary.data.game, version: glossary.data.version })}</p>}
      {status.data && !status.data.ok && (
        <Notice tone="error">
          <span>{t('glossaryBroken')}</span>
          {broken && broken.problems.length > 0 && (
            <details className="glossary-problems">
              <summary>{t('glossaryProblems', { n: broken.problems.length })}</summary>
              <ul>
                {broken.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </details>
          )}
          {broken && broken.problems.length === 0 && broken.message && (
            <span className="notice-reason">{t('serverSays', { reason: broken.message })}</span>
          )}
        </Notice>
      )}
      <div className="glossary-filters" role="search">
        <label htmlFor={`${id}-q`} className="visually-hidden">
          {t('glossarySearch')}
        </label>
        <input
          id={`${id}-q`}
          data-autofocus
          type="search"
          value={search}
          placeholder={t('glossarySearchPlaceholder')}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label htmlFor={`${id}-category`} className="visually-hidden">
          {t('glossaryCategory')}
        </label>
        <select
          id={`${id}-category`}
          value={category}
          onChange={(e) => setCategory(isGlossaryCategory(e.target.value) ? e.target.value : 'all')}
        >
          <option value="all">{t('category_all')}</option>
          {GLOSSARY_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`category_${c}` as LabelKey)}
            </option>
          ))}
        </select>
      </div>
      {glossary.error && !glossary.data && <Notice tone="error">{errorText(glossary.error)}</Notice>}
      {glossary.loading && !glossary.data && <p className="placeholder">{t('loading')}</p>}
      {glossary.data && (
        <>
          <p className="glossary-count" aria-live="polite">
            {t('glossaryCount', { shown: fmt(shown.length), total: fmt(entries.length) })}
          </p>
          {shown.length === 0 ? (
            <p className="placeholder">{t('glossaryEmpty')}</p>
          ) : (
            <ul className="glossary-list">
              {shown.map((entry) => (
                <GlossaryEntryCard key={entry.id} entry={entry} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
