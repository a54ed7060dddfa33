import type { ConversationSummary, Status } from '../api/types';
import { useI18n } from '../i18n';
import { ConversationList } from './ConversationList';
import { Icon } from './Icon';
import { StatusPanel } from './StatusPanel';

interface Props {
  open: boolean;
  onClose: () => void;
  conversations: ConversationSummary[] | null;
  conversationsLoading: boolean;
  conversationsError: string | null;
  currentId: string | null;
  onNew: () => void;
  onOpen: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
  onLowRated: () => void;
  lowRatedActive: boolean;
  status: Status | null;
  statusError: string | null;
}

/** Left column (a drawer on phones): new conversation, past conversations, review list, status. */
export function Sidebar(props: Props) {
  const { t } = useI18n();
  return (
    <aside className={props.open ? 'sidebar is-open' : 'sidebar'} aria-label={t('mainNavigation')}>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <span />
          <span />
        </span>
        <span className="brand-text">
          <span className="brand-name">dualnova</span>
          <span className="brand-tagline">{t('appTagline')}</span>
        </span>
        <button type="button" className="btn btn-icon btn-quiet sidebar-close" aria-label={t('closeMenu')} onClick={props.onClose}>
          <Icon name="close" />
        </button>
      </div>
      <button type="button" className="btn btn-primary new-conversation" onClick={props.onNew}>
        <Icon name="plus" size={16} />
        {t('newConversation')}
      </button>
      <ConversationList
        conversations={props.conversations}
        loading={props.conversationsLoading}
        error={props.conversationsError}
        currentId={props.currentId}
        onOpen={props.onOpen}
        onDelete={props.onDelete}
      />
      <div className="sidebar-bottom">
        <a
          href="/feedback"
          className={props.lowRatedActive ? 'sidebar-link is-current' : 'sidebar-link'}
          aria-current={props.lowRatedActive ? 'page' : undefined}
          onClick={(e) => {
            if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
            e.preventDefault();
            props.onLowRated();
          }}
        >
          <Icon name="flag" size={15} />
          {t('lowRated')}
        </a>
        <StatusPanel status={props.status} error={props.statusError} />
      </div>
    </aside>
  );
}
