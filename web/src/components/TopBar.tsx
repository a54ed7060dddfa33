import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { Icon } from './Icon';
import { LanguageSwitch } from './LanguageSwitch';

export function TopBar({ title, onMenu, actions }: { title: string; onMenu: () => void; actions?: ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="topbar">
      <button type="button" className="btn btn-icon btn-quiet menu-button" aria-label={t('openMenu')} onClick={onMenu}>
        <Icon name="menu" />
      </button>
      <h1 className="topbar-title" title={title}>
        {title}
      </h1>
      {actions}
      <LanguageSwitch />
    </header>
  );
}
