import { usePanels, type PanelName } from '../hooks/usePanels';
import { useI18n, type LabelKey } from '../i18n';
import { Icon, type IconName } from './Icon';

const BUTTONS: { panel: PanelName; label: LabelKey; icon: IconName }[] = [
  { panel: 'translator', label: 'openTranslator', icon: 'translate' },
  { panel: 'glossary', label: 'openGlossary', icon: 'book' },
];

/** Top-bar buttons that open (or close) the translator and the glossary beside the chat. */
export function ToolButtons() {
  const { t } = useI18n();
  const panels = usePanels();
  if (!panels) return null;
  return (
    <div className="tool-buttons" role="group" aria-label={t('tools')}>
      {BUTTONS.map((b) => {
        const on = panels.open === b.panel;
        return (
          <button
            key={b.panel}
            type="button"
            className={on ? 'btn btn-small btn-quiet tool-button is-on' : 'btn btn-small btn-quiet tool-button'}
            aria-pressed={on}
            aria-label={t(b.label)}
            title={t(b.label)}
            onClick={() => (on ? panels.close() : panels.show(b.panel))}
          >
            <Icon name={b.icon} size={16} />
            <span className="tool-button-label" aria-hidden="true">
              {t(b.label)}
            </span>
          </button>
        );
      })}
    </div>
  );
}
