import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PanelsProvider } from './hooks/usePanels';
import { I18nProvider } from './i18n';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <PanelsProvider>
        <App />
      </PanelsProvider>
    </I18nProvider>
  </StrictMode>,
);
