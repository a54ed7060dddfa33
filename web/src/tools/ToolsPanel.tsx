import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { GlossaryPanel } from '../glossary/GlossaryPanel';
import { usePanels, type PanelName, type Panels } from '../hooks/usePanels';
import { useI18n, type LabelKey } from '../i18n';
import { TranslatorPanel } from '../translator/TranslatorPanel';
import { Icon } from '../components/Icon';

const TABS: { panel: PanelName; label: LabelKey }[] = [
  { panel: 'translator', label: 'translator' },
  { panel: 'glossary', label: 'glossary' },
];

/**
 * The side panel with the translator and the glossary. Not modal: the conversation stays usable
 * beside it. A panel is mounted the first time it is opened and kept (with its text and results)
 * while hidden. Escape closes it and focus goes back where it was.
 */
export function ToolsPanel() {
  const panels = usePanels();
  return panels ? <ToolsPanelView panels={panels} /> : null;
}

function ToolsPanelView({ panels }: { panels: Panels }) {
  const { t } = useI18n();
  const baseId = useId();
  const aside = useRef<HTMLElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [mounted, setMounted] = useState<PanelName[]>([]);
  const { open } = panels;
  if (open && !mounted.includes(open)) setMounted([...mounted, open]);

  // Opened from outside (a top-bar button, "Show in glossary"): focus the panel's first field.
  useEffect(() => {
    const el = aside.current;
    if (!el) return;
    if (open === null) {
      const back = returnFocus.current;
      returnFocus.current = null;
      if (back?.isConnected && (document.activeElement === document.body || el.contains(document.activeElement))) back.focus();
      return;
    }
    if (el.contains(document.activeElement)) return;
    if (document.activeElement instanceof HTMLElement) returnFocus.current = document.activeElement;
    el.querySelector<HTMLElement>(`#${CSS.escape(`${baseId}-${open}`)} [data-autofocus]`)?.focus();
  }, [open, panels.glossaryQuery.request, baseId]);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault(); // handled here: Escape does not also stop a streaming answer
      panels.close();
    }
  };
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const index = TABS.findIndex((tab) => tab.panel === open);
    const next = TABS[(index + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    panels.show(next.panel);
    document.getElementById(`${baseId}-tab-${next.panel}`)?.focus();
  };

  return (
    <aside ref={aside} className="tools-panel" hidden={open === null} aria-label={t('tools')} onKeyDown={onKeyDown}>
      <div className="tools-head">
        <div role="tablist" aria-label={t('tools')} className="tools-tabs" onKeyDown={onTabKey}>
          {TABS.map((tab) => (
            <button
              key={tab.panel}
              id={`${baseId}-tab-${tab.panel}`}
              type="button"
              role="tab"
              aria-selected={open === tab.panel}
              aria-controls={`${baseId}-${tab.panel}`}
              tabIndex={open === tab.panel ? 0 : -1}
              className="tab"
              onClick={() => panels.show(tab.panel)}
            >
              {t(tab.label)}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="btn btn-icon btn-quiet"
          aria-label={t('closePanel')}
          title={`${t('closePanel')} (Esc)`}
          onClick={panels.close}
        >
          <Icon name="close" />
        </button>
      </div>
      {TABS.filter((tab) => mounted.includes(tab.panel)).map((tab) => (
        <div
          key={tab.panel}
          id={`${baseId}-${tab.panel}`}
          role="tabpanel"
          aria-labelledby={`${baseId}-tab-${tab.panel}`}
          className="tools-body"
          hidden={open !== tab.panel}
        >
          {tab.panel === 'translator' ? <TranslatorPanel /> : <GlossaryPanel active={open === 'glossary'} query={panels.glossaryQuery} />}
        </div>
      ))}
    </aside>
  );
}
