import type { GlossaryEntry } from '../api/types';
import { useI18n, type LabelKey } from '../i18n';
import { LANGUAGES } from '../i18n/languages';
import { entryHeadline } from './search';

/** One glossary entry: its name in the UI language, the names and aliases per language, the description. */
export function GlossaryEntryCard({ entry }: { entry: GlossaryEntry }) {
  const { t, lang, languageName } = useI18n();
  const rows = LANGUAGES.filter((l) => entry.names[l] || (entry.aliases[l]?.length ?? 0) > 0);
  return (
    <li className="glossary-entry" data-entry={entry.id}>
      <div className="glossary-entry-head">
        <span className="glossary-headline" lang={entry.names[lang] ? lang : 'en'}>
          {entryHeadline(entry, lang)}
        </span>
        <span className={`category-chip category-${entry.category}`}>{t(`category_${entry.category}` as LabelKey)}</span>
      </div>
      <dl className="glossary-names">
        {rows.map((l) => {
          const aliases = entry.aliases[l] ?? [];
          return (
            <div key={l}>
              <dt>
                <abbr title={languageName(l)}>{l.toUpperCase()}</abbr>
              </dt>
              <dd lang={l}>
                {entry.names[l] ?? '—'}
                {aliases.length > 0 && (
                  <span className="glossary-aliases">
                    <span className="visually-hidden" lang={lang}>
                      {t('glossaryAliases')}:
                    </span>{' '}
                    {aliases.join(', ')}
                  </span>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      {entry.description && <p className="glossary-description">{entry.description}</p>}
    </li>
  );
}
