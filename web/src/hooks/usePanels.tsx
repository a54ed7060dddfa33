import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** The side panel's tools, beside the chat. */
export type PanelName = 'translator' | 'glossary';

export interface Panels {
  /** The open panel, or null when the side panel is closed. */
  open: PanelName | null;
  /** Opens a panel; `glossaryQuery` pre-fills the glossary search ("Show in glossary"). */
  show: (panel: PanelName, options?: { glossaryQuery?: string }) => void;
  close: () => void;
  /** A search asked for from outside the glossary panel; `request` changes with every ask. */
  glossaryQuery: { text: string; request: number };
}

function usePanelState(): Panels {
  const [open, setOpen] = useState<PanelName | null>(null);
  const [glossaryQuery, setGlossaryQuery] = useState({ text: '', request: 0 });
  const show = useCallback((panel: PanelName, options?: { glossaryQuery?: string }) => {
    setOpen(panel);
    const text = options?.glossaryQuery;
    if (text !== undefined) setGlossaryQuery((q) => ({ text, request: q.request + 1 }));
  }, []);
  const close = useCallback(() => setOpen(null), []);
  return useMemo(() => ({ open, show, close, glossaryQuery }), [open, show, close, glossaryQuery]);
}

const PanelsContext = createContext<Panels | null>(null);

/** Holds which side panel is open, for the top-bar buttons, the panel itself and links in answers. */
export function PanelsProvider({ children }: { children: ReactNode }) {
  const panels = usePanelState();
  return <PanelsContext.Provider value={panels}>{children}</PanelsContext.Provider>;
}

/** The side panel controls, or null outside PanelsProvider (a component then hides its panel links). */
export function usePanels(): Panels | null {
  return useContext(PanelsContext);
}
