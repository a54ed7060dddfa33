import { isActivePart, PART_NAMES, type AnswerView, type LaneView as Lane } from '../chat/streamReducer';
import { useI18n } from '../i18n';
import { markdownToPlainText } from '../markdown/plainText';
import { CopyButton } from './CopyButton';
import { Notice } from './Notice';
import { PartBlock } from './PartBlock';

export function laneTitle(lane: Lane, t: ReturnType<typeof useI18n>['t'], languageName: (code: string) => string): string {
  return t(lane.role === 'staff' ? 'laneStaff' : 'laneCustomer', { lang: languageName(lane.lane) });
}

/** One language version of the answer: overview, then the detailed answer. */
export function LaneView({
  answer,
  lane,
  showTitle,
  multiLane,
}: {
  answer: AnswerView;
  lane: Lane;
  showTitle: boolean;
  multiLane: boolean;
}) {
  const { t, languageName, warningText } = useI18n();
  const laneWarnings = answer.warnings.filter((w) => w.lane === lane.lane);
  const open = answer.phase === 'connecting' || answer.phase === 'streaming';
  const canCopy = lane.role === 'customer' && multiLane && !open && Boolean(lane.parts.overview.text || lane.parts.detail.text);
  const plainText = () =>
    PART_NAMES.map((p) => markdownToPlainText(lane.parts[p].text))
      .filter(Boolean)
      .join('\n\n');
  return (
    <div className="lane" data-lane={lane.lane} data-role={lane.role}>
      {(showTitle || canCopy) && (
        <div className="lane-header">
          {showTitle && <h3>{laneTitle(lane, t, languageName)}</h3>}
          {canCopy && <CopyButton getText={plainText} label={t('copyReply')} />}
        </div>
      )}
      {laneWarnings.map((w, i) => (
        <Notice key={i} tone="info">
          {warningText(w.code)}
        </Notice>
      ))}
      {PART_NAMES.map((name) => (
        <PartBlock
          key={name}
          name={name}
          part={lane.parts[name]}
          active={isActivePart(answer, lane, name)}
          answerOpen={open}
          stopped={answer.phase === 'stopped'}
          lang={lane.lane}
        />
      ))}
    </div>
  );
}
