import type { PartName } from '../api/types';
import type { PartView } from '../chat/streamReducer';
import { useI18n } from '../i18n';
import { GlossaryChip } from './GlossaryChip';
import { Markdown } from './Markdown';
import { Notice } from './Notice';
import { PartStats } from './PartStats';

interface Props {
  name: PartName;
  part: PartView;
  /** This part is receiving text now: show the typing cursor. */
  active: boolean;
  /** The answer is still streaming (a waiting detail shows a quiet placeholder). */
  answerOpen: boolean;
  stopped: boolean;
  /** The language the part is written in (the lane's), for fonts and screen readers. */
  lang: string;
}

/** One part (overview or detail) of a lane's answer. */
export function PartBlock({ name, part, active, answerOpen, stopped, lang }: Props) {
  const { t, warningText } = useI18n();
  const hasText = part.text.length > 0;
  const failed = part.phase === 'failed';
  const hidden =
    !hasText &&
    !failed &&
    part.notices.length === 0 &&
    part.glossary.length === 0 &&
    !(answerOpen && name === 'detail' && part.phase === 'waiting') &&
    !active;
  if (hidden) return null;
  const ended = part.phase === 'complete' || part.phase === 'partial' || part.phase === 'failed';
  return (
    <section
      className={`part part-${name}`}
      aria-label={name === 'detail' ? t('detailLabel') : undefined}
      data-part={name}
      data-phase={part.phase}
    >
      {name === 'detail' && (
        <div className="part-divider">
          <span>{t('detailLabel')}</span>
        </div>
      )}
      {hasText ? (
        <Markdown text={part.text} streaming={active} lang={lang} />
      ) : active ? (
        <p className="placeholder">
          <span className="cursor" aria-hidden="true" />
        </p>
      ) : name === 'detail' && part.phase === 'waiting' ? (
        <p className="placeholder">{t('detailWaiting')}</p>
      ) : null}
      {part.glossary.length > 0 && <GlossaryChip issues={part.glossary} />}
      {part.notices.map((n, i) => (
        <Notice key={i}>{warningText(n.code)}</Notice>
      ))}
      {failed && part.notices.length === 0 && <Notice>{t('partFailed')}</Notice>}
      {part.phase === 'partial' && hasText && <p className="part-note">{stopped ? t('partStopped') : t('partIncomplete')}</p>}
      {ended && <PartStats part={part} />}
    </section>
  );
}
