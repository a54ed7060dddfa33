import { Notice } from '../components/Notice';
import { useI18n } from '../i18n';
import { TRANSLATE_MAX_CHARS, type TranslatorFailure } from './translation';

/** Why a translation failed, in the UI language (with the server's reason where it helps an operator). */
export function TranslationFailureNotice({ failure }: { failure: TranslatorFailure }) {
  const { t, errorText, locale } = useI18n();
  let text: string;
  let reason: string | null = null;
  switch (failure.kind) {
    case 'offline': {
      const [before, after] = t('translatorOffline').split('{setting}');
      return (
        <Notice tone="error">
          <span data-failure="offline">
            {before}
            <code>MODEL_PROVIDER=bedrock</code>
            {after}
          </span>
          {failure.reason && <span className="notice-reason">{t('serverSays', { reason: failure.reason })}</span>}
        </Notice>
      );
    }
    case 'too-long':
      text = t('translatorTooLong', { max: new Intl.NumberFormat(locale).format(TRANSLATE_MAX_CHARS) });
      break;
    case 'busy':
      text = failure.retryAfter !== null ? t('translatorBusy', { s: failure.retryAfter }) : t('translatorBusyNow');
      break;
    case 'failed':
      text = t('translatorFailed');
      reason = failure.reason;
      break;
    default:
      text = errorText(failure.code);
  }
  return (
    <Notice tone="error">
      <span data-failure={failure.kind}>{text}</span>
      {reason && <span className="notice-reason">{t('serverSays', { reason })}</span>}
    </Notice>
  );
}
