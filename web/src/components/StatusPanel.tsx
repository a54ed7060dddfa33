import type { Dependency, DependencyState, FeatureName, Status } from '../api/types';
import { modelLabel } from '../i18n/format';
import { useI18n, type LabelKey } from '../i18n';

const FEATURES: FeatureName[] = ['chat', 'knowledgeBase', 'translation', 'tokenMonitoring', 'alarms'];
const STATES: DependencyState[] = ['ok', 'degraded', 'denied', 'unreachable', 'error', 'unconfigured'];
/** States that need someone's attention; `unconfigured` is a choice (offline mode, no KB id), not a fault. */
const isProblem = (d: Dependency) => d.state !== 'ok' && d.state !== 'unconfigured';

function DependencyRow({ dep }: { dep: Dependency }) {
  const { t } = useI18n();
  return (
    <li className={`dep dep-${dep.state}`}>
      <span className="dep-dot" aria-hidden="true" />
      <span className="dep-name">{dep.name}</span>
      <span className="dep-state">{t(`state_${dep.state}` as LabelKey)}</span>
      {dep.state !== 'ok' && (dep.detail || dep.missingPermission) && (
        <span className="dep-detail">
          {dep.detail}
          {dep.missingPermission && (
            <>
              {' '}
              <code>{t('missingPermission', { permission: dep.missingPermission })}</code>
            </>
          )}
        </span>
      )}
    </li>
  );
}

/** A compact view of GET /api/status: mode, knowledge base, dependencies (with reasons), features that are off. */
export function StatusPanel({ status, error }: { status: Status | null; error: string | null }) {
  const { t } = useI18n();
  if (!status) {
    return (
      <section className="status" aria-label={t('status')}>
        <h2 className="sidebar-heading">{t('status')}</h2>
        <p className="sidebar-empty">{error ? t('statusUnavailable') : t('loading')}</p>
      </section>
    );
  }
  const problems = status.dependencies.filter(isProblem);
  const counts = STATES.map((state) => [state, status.dependencies.filter((d) => d.state === state).length] as const).filter(
    ([, n]) => n > 0,
  );
  const featuresOff = FEATURES.filter((f) => status.features[f] && !status.features[f].available);
  const kbKey: LabelKey = status.knowledgeBase.source === 'bedrock-kb' ? 'kb_bedrock-kb' : 'kb_local';
  return (
    <section className="status" aria-label={t('status')}>
      <h2 className="sidebar-heading">{t('status')}</h2>
      <dl className="status-facts">
        <div>
          <dt>{t('mode')}</dt>
          <dd>
            <span className={`mode-chip mode-${status.mode}`}>{t(`mode_${status.mode}` as LabelKey)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('knowledgeBase')}</dt>
          <dd>
            {t(kbKey)}
            {typeof status.knowledgeBase.documents === 'number' && (
              <span className="muted"> · {t('kbDocuments', { n: status.knowledgeBase.documents })}</span>
            )}
          </dd>
        </div>
        {status.mode !== 'offline' && status.models && (
          <div>
            <dt>{t('models')}</dt>
            <dd>
              {modelLabel(status.models.fast)} + {modelLabel(status.models.detail)}
            </dd>
          </div>
        )}
      </dl>
      {problems.length > 0 && (
        <ul className="deps-problems">
          {problems.map((d) => (
            <DependencyRow key={d.name} dep={d} />
          ))}
        </ul>
      )}
      <details className="deps">
        <summary>
          {t('dependencies')}{' '}
          <span className={problems.length > 0 ? 'deps-summary has-problems' : 'deps-summary'}>
            {counts.map(([state, n]) => `${t(`state_${state}` as LabelKey)} ${n}`).join(' · ')}
            {featuresOff.length > 0 && ` · ${t('featuresOffCount', { n: featuresOff.length })}`}
          </span>
        </summary>
        <ul>
          {status.dependencies.map((d) => (
            <DependencyRow key={d.name} dep={d} />
          ))}
        </ul>
        {featuresOff.length > 0 && (
          <ul className="features-off">
            {featuresOff.map((f) => (
              <li key={f}>
                <span className="dep-dot" aria-hidden="true" />
                <span>
                  {t('featureOff', { feature: t(`feature_${f}` as LabelKey) })}
                  {status.features[f].reason && <span className="feature-reason">{status.features[f].reason}</span>}
                </span>
              </li>
            ))}
          </ul>
        )}
      </details>
    </section>
  );
}
