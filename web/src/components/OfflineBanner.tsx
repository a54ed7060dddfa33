import { useState } from 'react';
import { useI18n } from '../i18n';
import { Icon } from './Icon';

const DISMISS_KEY = 'dualnova.offlineBannerDismissed';

/** Offline mode: say that answers are extracts, and how to connect Bedrock. Dismissible (remembered in this browser). */
export function OfflineBanner() {
  const { t } = useI18n();
  const [dismissed, setDismissed] = useState(() => {
    try {
      return localStorage.getItem(DISMISS_KEY) === '1';
    } catch {
      return false;
    }
  });
  if (dismissed) return null;
  const [before, after] = t('offlineHow').split('{setting}');
  return (
    <div className="banner" role="note" aria-label={t('offlineTitle')}>
      <Icon name="info" size={18} />
      <div className="banner-body">
        <strong>{t('offlineTitle')}</strong> {t('offlineBody')}{' '}
        <span className="banner-how">
          {before}
          <code>MODEL_PROVIDER=bedrock</code>
          {after}
        </span>
      </div>
      <button
        type="button"
        className="btn btn-icon btn-quiet"
        aria-label={t('dismiss')}
        onClick={() => {
          setDismissed(true);
          try {
            localStorage.setItem(DISMISS_KEY, '1');
          } catch {
            // storage blocked
          }
        }}
      >
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}
