import { api } from '../api/client';
import { useApi } from '../hooks/useApi';
import { useI18n } from '../i18n';
import { Icon } from './Icon';

/** The empty conversation: a greeting and example questions drawn from the loaded knowledge base. */
export function Welcome({ onAsk, disabled }: { onAsk: (question: string) => void; disabled: boolean }) {
  const { t, lang } = useI18n();
  const examples = useApi(`examples:${lang}`, (signal) => api.examples(lang, signal));
  const questions = examples.data ?? [];
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <div className="welcome-mark" aria-hidden="true">
        <span />
        <span />
      </div>
      <h1 id="welcome-title">{t('welcomeTitle')}</h1>
      <p className="welcome-body">{t('welcomeBody')}</p>
      {examples.loading && questions.length === 0 ? (
        <p className="placeholder">{t('examplesLoading')}</p>
      ) : questions.length > 0 ? (
        <>
          <h2 className="examples-title">{t('examplesTitle')}</h2>
          <ul className="examples">
            {questions.slice(0, 6).map((q) => (
              <li key={q}>
                <button type="button" className="example" onClick={() => onAsk(q)} disabled={disabled}>
                  <span>{q}</span>
                  <Icon name="send" size={15} />
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
