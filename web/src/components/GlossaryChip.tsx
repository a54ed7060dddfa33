import { useId, useState } from 'react';
import type { GlossaryTermIssue } from '../api/types';
import { usePanels } from '../hooks/usePanels';
import { useI18n } from '../i18n';
import { Icon } from './Icon';

/**
 * A discreet chip under an answer part whose glossary names differ from the glossary
 * ("Glossary: expected 아리아, found Aria"). Hover shows every term; click or Enter opens the
 * details, with a way to look the entry up in the glossary panel.
 */
export function GlossaryChip({ issues }: { issues: GlossaryTermIssue[] }) {
  const { t } = useI18n();
  const panels = usePanels();
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const first = issues[0];
  if (!first) return null;
  const line = (issue: GlossaryTermIssue) =>
    issue.found !== undefined
      ? t('glossaryIssueFound', { expected: issue.expected, found: issue.found })
      : t('glossaryIssueMissing', { expected: issue.expected });
  const label =
    issues.length > 1
      ? t('glossaryChipMany', { n: issues.length })
      : first.found !== undefined
        ? t('glossaryChipFound', { expected: first.expected, found: first.found })
        : t('glossaryChipMissing', { expected: first.expected });
  return (
    <div className="glossary-check">
      <button
        type="button"
        className="glossary-chip"
        aria-expanded={open}
        aria-controls={detailsId}
        title={issues.map(line).join('\n')}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.preventDefault(); // closes the details, does not stop the answer
            setOpen(false);
          }
        }}
      >
        <Icon name="book" size={13} />
        <span>{label}</span>
      </button>
      <div id={detailsId} className="glossary-details" hidden={!open}>
        <p className="glossary-details-title">{t('glossaryIssuesTitle')}</p>
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.term}-${issue.found ?? ''}`}>
              <span>{line(issue)}</span>
              {panels && (
                <button
                  type="button"
                  className="btn btn-small btn-quiet"
                  onClick={() => panels.show('glossary', { glossaryQuery: issue.expected })}
                >
                  {t('showInGlossary')}
                </button>
              )}
            </li>
          ))}
        </ul>
        <p className="glossary-details-hint">{t('glossaryIssueHint')}</p>
      </div>
    </div>
  );
}
