import { useId, useState, type KeyboardEvent } from 'react';
import type { AnswerView } from '../chat/streamReducer';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { useI18n } from '../i18n';
import { LaneView } from './LaneView';

/** The answer's lanes: one column, two columns side by side (wide screens), or tabs (narrow). */
export function LaneGroup({ answer }: { answer: AnswerView }) {
  const { t, languageName } = useI18n();
  const wide = useMediaQuery('(min-width: 900px)');
  const [selected, setSelected] = useState(0);
  const baseId = useId();
  const lanes = answer.lanes;
  if (lanes.length === 0) return null;
  if (lanes.length === 1) return <LaneView answer={answer} lane={lanes[0]!} showTitle={false} multiLane={false} />;
  if (wide) {
    return (
      <div className="lanes lanes-columns">
        {lanes.map((lane) => (
          <LaneView key={lane.lane} answer={answer} lane={lane} showTitle multiLane />
        ))}
      </div>
    );
  }
  const current = Math.min(selected, lanes.length - 1);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const next = (current + (e.key === 'ArrowRight' ? 1 : lanes.length - 1)) % lanes.length;
    setSelected(next);
    document.getElementById(`${baseId}-tab-${next}`)?.focus();
  };
  const lane = lanes[current]!;
  return (
    <div className="lanes lanes-tabs">
      <div role="tablist" aria-label={t('laneTabs')} className="tabs" onKeyDown={onKeyDown}>
        {lanes.map((l, i) => (
          <button
            key={l.lane}
            id={`${baseId}-tab-${i}`}
            type="button"
            role="tab"
            aria-selected={i === current}
            aria-controls={`${baseId}-panel`}
            tabIndex={i === current ? 0 : -1}
            className="tab"
            onClick={() => setSelected(i)}
          >
            {t(l.role === 'staff' ? 'tabStaff' : 'tabCustomer', { lang: languageName(l.lane) })}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel`} aria-labelledby={`${baseId}-tab-${current}`}>
        <LaneView answer={answer} lane={lane} showTitle={false} multiLane />
      </div>
    </div>
  );
}
