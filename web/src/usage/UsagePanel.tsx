import { useEffect, useState } from 'react';
import { ApiError, isAbortError } from '../api/client';
import { formatCost, modelLabel } from '../i18n/format';
import {
  totalTokens,
  USAGE_WINDOWS,
  usageApi,
  type ConversationUsage,
  type LimitView,
  type ScopeView,
  type UsageReport,
  type UsageWindow,
} from './api';
import { useUsageText, type UsageText, type UsageTextKey } from './messages';
import { UsageChart } from './UsageChart';

const POLL_WHILE_FETCHING_MS = 2000;

function cost(value: number | null, u: UsageText): string {
  return value === null ? u('costUnknown') : formatCost(value);
}

function percent(share: number | null, locale: string): string {
  return share === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** The usage report for the chosen period; polls while CloudWatch figures are still being fetched. */
function useUsageReport(window: UsageWindow, tick: number) {
  const [report, setReport] = useState<UsageReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [poll, setPoll] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    usageApi
      .report(window, controller.signal)
      .then((next) => {
        setReport(next);
        setError(null);
      })
      .catch((e: unknown) => {
        if (isAbortError(e) || controller.signal.aborted) return;
        setError(e instanceof ApiError ? e.code : 'internal_error');
      });
    return () => controller.abort();
  }, [window, tick, poll]);
  const fetching = report !== null && (report.cloudwatch.state === 'pending' || report.cloudwatch.refreshing === true);
  useEffect(() => {
    if (!fetching) return;
    const timer = setTimeout(() => setPoll((n) => n + 1), POLL_WHILE_FETCHING_MS);
    return () => clearTimeout(timer);
  }, [fetching, report]);
  return { report, error };
}

export function ConversationTotals({ usage, u, locale }: { usage: ConversationUsage | null; u: UsageText; locale: string }) {
  if (!usage || usage.calls === 0) return <p className="usage-muted">{u('noConversation')}</p>;
  const n = (v: number) => new Intl.NumberFormat(locale).format(v);
  return (
    <div className="usage-conversation" data-testid="usage-conversation">
      <p className="usage-big">
        <span data-usage="conversation-tokens">{u('tokens', { tokens: n(totalTokens(usage)) })}</span>
        <span className="usage-sep" aria-hidden="true">
          ·
        </span>
        <span data-usage="conversation-cost">{cost(usage.costUsd, u)}</span>
      </p>
      <dl className="usage-kv">
        <div>
          <dt>{u('input')}</dt>
          <dd>{n(usage.inputTokens)}</dd>
        </div>
        <div>
          <dt>{u('output')}</dt>
          <dd>{n(usage.outputTokens)}</dd>
        </div>
        <div>
          <dt>{u('cacheRead')}</dt>
          <dd>{n(usage.cacheReadInputTokens)}</dd>
        </div>
        <div>
          <dt>{u('cacheWrite')}</dt>
          <dd>{n(usage.cacheWriteInputTokens)}</dd>
        </div>
        <div>
          <dt>{u('calls')}</dt>
          <dd>{n(usage.calls)}</dd>
        </div>
      </dl>
    </div>
  );
}

function LedgerSection({ report, u, locale }: { report: UsageReport; u: UsageText; locale: string }) {
  const n = (v: number) => new Intl.NumberFormat(locale).format(v);
  const { ledger } = report;
  const heading = report.scope === 'deployment' ? u('deploymentUsage') : u('yourUsage');
  return (
    <section className="usage-section" aria-label={heading}>
      <h3>
        {heading}
        <span className="usage-headline">
          {u('tokens', { tokens: n(ledger.totals.totalTokens) })} · {cost(ledger.costUsd, u)} · {u('cacheShare')}{' '}
          {percent(ledger.cacheReadShare, locale)}
        </span>
      </h3>
      {ledger.byModel.length === 0 ? (
        <p className="usage-muted">{u('noCalls')}</p>
      ) : (
        <>
          <UsageChart
            rows={ledger.byModel}
            u={u}
            locale={locale}
            label={u('chartLabel', { window: u(`window_${report.window}` as UsageTextKey) })}
          />
          <div className="usage-table-wrap">
            <table className="usage-table" data-testid="usage-ledger">
              <thead>
                <tr>
                  <th scope="col">{u('model')}</th>
                  <th scope="col">{u('calls')}</th>
                  <th scope="col">{u('input')}</th>
                  <th scope="col">{u('output')}</th>
                  <th scope="col">{u('cacheRead')}</th>
                  <th scope="col">{u('cacheWrite')}</th>
                  <th scope="col">{u('cost')}</th>
                  <th scope="col">{u('cacheShare')}</th>
                </tr>
              </thead>
              <tbody>
                {ledger.byModel.map((m) => (
                  <tr key={`${m.provider}/${m.modelId}`} data-model={m.modelId}>
                    <th scope="row" title={m.modelId}>
                      {modelLabel(m.modelId)}
                    </th>
                    <td>{n(m.calls)}</td>
                    <td>{n(m.inputTokens)}</td>
                    <td>{n(m.outputTokens)}</td>
                    <td>{n(m.cacheReadInputTokens)}</td>
                    <td>{n(m.cacheWriteInputTokens)}</td>
                    <td>{cost(m.costUsd, u)}</td>
                    <td>{percent(m.cacheReadShare, locale)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{u('total')}</th>
                  <td>{n(ledger.totals.calls)}</td>
                  <td>{n(ledger.totals.inputTokens)}</td>
                  <td>{n(ledger.totals.outputTokens)}</td>
                  <td>{n(ledger.totals.cacheReadInputTokens)}</td>
                  <td>{n(ledger.totals.cacheWriteInputTokens)}</td>
                  <td>{cost(ledger.totals.costUsd, u)}</td>
                  <td>{percent(ledger.totals.cacheReadShare, locale)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
          <h4>{u('byPurpose')}</h4>
          <ul className="usage-purposes">
            {ledger.byPurpose.map((p) => (
              <li key={p.purpose}>
                <span>{u(`purpose_${p.purpose}` as UsageTextKey) || p.purpose}</span>
                <span>
                  {u('tokens', { tokens: n(p.totalTokens) })} · {cost(p.costUsd, u)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CloudWatchSection({ report, u, locale }: { report: UsageReport; u: UsageText; locale: string }) {
  const cw = report.cloudwatch;
  const n = (v: number) => new Intl.NumberFormat(locale).format(v);
  if (cw.state === 'restricted') {
    return (
      <section className="usage-section" aria-label={u('cloudwatch')}>
        <h3>{u('cloudwatch')}</h3>
        <p className="usage-muted">{u('cloudwatchRestricted')}</p>
      </section>
    );
  }
  const unavailable = cw.state !== 'ok' && cw.state !== 'pending';
  return (
    <section className="usage-section" aria-label={u('cloudwatch')} data-cloudwatch-state={cw.state}>
      <h3>
        {u('cloudwatch')}
        {cw.state === 'ok' && typeof cw.ageSeconds === 'number' && (
          <span className="usage-headline">{u('cloudwatchFetched', { seconds: cw.ageSeconds })}</span>
        )}
      </h3>
      {cw.state === 'pending' && <p className="usage-muted">{u('cloudwatchPending')}</p>}
      {unavailable && (
        <div className="usage-notice" role="note">
          <strong>{u('cloudwatchUnavailable')}</strong>
          {cw.reason && <p data-testid="cloudwatch-reason">{cw.reason}</p>}
        </div>
      )}
      {cw.byModel.length > 0 ? (
        <div className="usage-table-wrap">
          <table className="usage-table" data-testid="usage-cloudwatch">
            <thead>
              <tr>
                <th scope="col">{u('modelId')}</th>
                <th scope="col">{u('invocations')}</th>
                <th scope="col">{u('input')}</th>
                <th scope="col">{u('output')}</th>
                <th scope="col">{u('cacheRead')}</th>
                <th scope="col">{u('latencyAvgP90')}</th>
                <th scope="col">{u('throttles')}</th>
                <th scope="col">{u('errors')}</th>
                <th scope="col">{u('estimatedCost')}</th>
              </tr>
            </thead>
            <tbody>
              {cw.byModel.map((m) => (
                <tr key={m.modelId}>
                  <th scope="row">
                    <code>{m.modelId}</code>
                  </th>
                  <td>{n(m.invocations)}</td>
                  <td>{n(m.inputTokens)}</td>
                  <td>{n(m.outputTokens)}</td>
                  <td>{n(m.cacheReadInputTokens)}</td>
                  <td>
                    {m.latencyAvgMs ?? '—'} / {m.latencyP90Ms ?? '—'} ms
                  </td>
                  <td>{n(m.throttles)}</td>
                  <td>{n(m.clientErrors + m.serverErrors)}</td>
                  <td>{cost(m.estimatedCostUsd, u)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        cw.state === 'ok' && <p className="usage-muted">{u('cloudwatchEmpty')}</p>
      )}
      {report.reconciliation.length > 0 && (
        <>
          <h4>{u('reconciliation')}</h4>
          <ul className="usage-recon" data-testid="usage-reconciliation">
            {report.reconciliation.map((r) => (
              <li key={r.modelId} data-status={r.status}>
                <div className="usage-recon-head">
                  <span title={r.modelId}>{modelLabel(r.modelId)}</span>
                  <span className={`usage-pill usage-pill-${r.status}`}>{u(`recon_${r.status}` as UsageTextKey)}</span>
                </div>
                <div className="usage-recon-figures">
                  {u('ledger')}: {u('conversationCalls', { calls: n(r.ledger.invocations) })} ·{' '}
                  {u('tokens', { tokens: n(totalTokens(r.ledger)) })}
                  {r.cloudwatch && (
                    <>
                      {' '}
                      | CloudWatch: {n(r.cloudwatch.invocations)} · {u('tokens', { tokens: n(totalTokens(r.cloudwatch)) })}
                    </>
                  )}
                </div>
                <p className="usage-recon-note">{r.note}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function AlarmsSection({ report, u }: { report: UsageReport; u: UsageText }) {
  const { alarms } = report;
  if (alarms.state === 'restricted') return null;
  return (
    <section className="usage-section" aria-label={u('alarms')}>
      <h3>{u('alarms')}</h3>
      {alarms.state !== 'ok' && alarms.state !== 'pending' && (
        <div className="usage-notice" role="note">
          <strong>{u('alarmsUnavailable')}</strong>
          {alarms.reason && <p>{alarms.reason}</p>}
        </div>
      )}
      {alarms.state === 'ok' && alarms.items.length === 0 && <p className="usage-muted">{u('noAlarms')}</p>}
      {alarms.items.length > 0 && (
        <ul className="usage-alarms" data-testid="usage-alarms">
          {alarms.items.map((a) => (
            <li key={a.name} data-state={a.state} title={a.reason}>
              <span className={`usage-dot usage-dot-${a.state}`} aria-hidden="true" />
              <span className="usage-alarm-name">{a.name}</span>
              <span className="usage-alarm-state">{u(`alarm_${a.state}` as UsageTextKey) || a.state}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LimitBar({ label, view, money, u, locale }: { label: string; view: LimitView; money: boolean; u: UsageText; locale: string }) {
  const show = (v: number) => (money ? formatCost(v) : new Intl.NumberFormat(locale).format(v));
  const pct = view.percent ?? 0;
  return (
    <div className="usage-limit">
      <div className="usage-limit-head">
        <span>{label}</span>
        <span>
          {view.limit === null
            ? `${show(view.used)} · ${u('noLimit')}`
            : u('budgetUsed', { used: show(view.used), limit: show(view.limit) })}
        </span>
      </div>
      {view.limit !== null && (
        <div
          className="usage-meter"
          role="meter"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.min(100, pct)}
        >
          <span style={{ width: `${Math.min(100, pct)}%` }} className={pct >= 100 ? 'is-over' : pct >= 80 ? 'is-high' : ''} />
        </div>
      )}
      {view.reserved > 0 && <p className="usage-muted">{u('budgetReserved', { reserved: show(view.reserved) })}</p>}
    </div>
  );
}

function BudgetScope({ title, scope, u, locale }: { title: string; scope: ScopeView; u: UsageText; locale: string }) {
  return (
    <div className="usage-budget" data-budget-state={scope.state}>
      <div className="usage-budget-head">
        <strong>{title}</strong>
        <span className={`usage-pill usage-budget-${scope.state}`}>{u(`budget_${scope.state}` as UsageTextKey)}</span>
      </div>
      <LimitBar label={u('budgetTokens')} view={scope.tokens} money={false} u={u} locale={locale} />
      <LimitBar label={u('budgetCost')} view={scope.costUsd} money u={u} locale={locale} />
    </div>
  );
}

function BudgetsSection({ report, u, locale }: { report: UsageReport; u: UsageText; locale: string }) {
  const b = report.budgets;
  return (
    <section className="usage-section" aria-label={u('budgets')}>
      <h3>{u('budgets')}</h3>
      {!b.enabled && <p className="usage-muted">{u('noBudgets')}</p>}
      <div className="usage-budgets">
        <BudgetScope title={u('budgetDeployment')} scope={b.deployment} u={u} locale={locale} />
        <BudgetScope title={u('budgetUser')} scope={b.user} u={u} locale={locale} />
      </div>
      <p className="usage-muted">{u('budgetResets', { hour: String(b.resetHourUtc).padStart(2, '0') })}</p>
    </section>
  );
}

/** The panel's body: this conversation, the ledger for the period, CloudWatch beside it, alarms, budgets. */
export function UsagePanel({ conversation }: { conversation: ConversationUsage | null }) {
  const { u, locale } = useUsageText();
  const [window, setWindow] = useState<UsageWindow>('24h');
  const [tick, setTick] = useState(0);
  const { report, error } = useUsageReport(window, tick);
  return (
    <div className="usage-panel">
      <section className="usage-section" aria-label={u('thisConversation')}>
        <h3>{u('thisConversation')}</h3>
        <ConversationTotals usage={conversation} u={u} locale={locale} />
      </section>
      <div className="usage-toolbar">
        <fieldset className="segmented" aria-label={u('window')}>
          <legend className="visually-hidden">{u('window')}</legend>
          {USAGE_WINDOWS.map((w) => (
            <label key={w} className={w === window ? 'is-on' : undefined}>
              <input type="radio" name="usage-window" value={w} checked={w === window} onChange={() => setWindow(w)} />
              {u(`window_${w}` as UsageTextKey)}
            </label>
          ))}
        </fieldset>
        <button type="button" className="btn btn-quiet" onClick={() => setTick((n) => n + 1)}>
          {u('refresh')}
        </button>
      </div>
      {error && !report && (
        <div className="usage-notice" role="alert">
          <p>{u('loadError')}</p>
          <button type="button" className="btn" onClick={() => setTick((n) => n + 1)}>
            {u('retry')}
          </button>
        </div>
      )}
      {report && (
        <>
          <LedgerSection report={report} u={u} locale={locale} />
          <CloudWatchSection report={report} u={u} locale={locale} />
          <AlarmsSection report={report} u={u} />
          <BudgetsSection report={report} u={u} locale={locale} />
          {report.warnings.length > 0 && (
            <section className="usage-section" aria-label={u('notes')}>
              <h3>{u('notes')}</h3>
              <ul className="usage-warnings">
                {report.warnings.map((w, i) => (
                  <li key={i}>{w.message}</li>
                ))}
              </ul>
            </section>
          )}
          <p className="usage-footnote">{u('prices', { version: report.prices.version, source: report.prices.source })}</p>
        </>
      )}
    </div>
  );
}
