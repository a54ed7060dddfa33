/**
 * `dualnova usage [--window 24h] [--json] [--user ID]`: the same report as GET /api/usage for an
 * admin — ledger per model and purpose, CloudWatch beside it with the reconciliation, alarm and
 * budget states — as tables, or as the API's JSON. Reads the database directly (no server needed)
 * and, when AWS credentials are at hand, CloudWatch once (a CLI may wait for it; a page never does).
 */
import { createRuntime } from '../app/runtime.js';
import type { AwsClients } from '../aws/clients.js';
import { awsAccess } from '../aws/registry.js';
import { loadSettingsFromSources } from '../aws/settings-secret.js';
import type { Settings } from '../config/settings.js';
import { createLogger, type Logger } from '../log/logger.js';
import type { UsageParts } from '../usage/index.js';
import { USAGE_WINDOWS, type UsageWindow } from '../usage/queries.js';
import type { UsageReport } from '../usage/service.js';

export const USAGE_USAGE = `  dualnova usage [--window 1h|24h|7d] [--json] [--user ID]
                                         token usage and cost per model and purpose, CloudWatch beside it
                                         (with the reconciliation), alarm and budget states`;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
}

export interface UsageContext {
  settings: Settings;
  usage: UsageParts;
  clients: AwsClients;
  access: { enabled: boolean; reason: string };
  logger: Logger;
  close(): Promise<void>;
}

/** The usage parts of the deployment's runtime: composed lazily, so no knowledge base and no background checks. */
export async function openUsageContext(env: NodeJS.ProcessEnv): Promise<UsageContext> {
  const settings = await loadSettingsFromSources({ env });
  const verbose = settings.logLevel === 'debug' || settings.logLevel === 'trace';
  const logger = createLogger(verbose ? settings.logLevel : 'silent', process.stderr);
  const runtime = await createRuntime(settings, logger, { background: false, env });
  return {
    settings,
    usage: runtime.usageParts,
    clients: runtime.clients,
    access: awsAccess(settings, env),
    logger,
    close: () => runtime.close(),
  };
}

export async function runUsage(
  options: { window: string; json: boolean; user?: string | undefined },
  io: CliIo = process,
): Promise<number> {
  if (!(USAGE_WINDOWS as readonly string[]).includes(options.window)) {
    io.stderr.write(`dualnova: --window must be one of ${USAGE_WINDOWS.join(', ')}\n`);
    return 2;
  }
  const context = await openUsageContext(io.env ?? process.env);
  try {
    await context.usage.service.reader.refresh();
    const report = await context.usage.service.report({
      window: options.window as UsageWindow,
      viewer: options.user === undefined ? { userId: null, admin: true } : { userId: options.user, admin: true },
      scope: options.user === undefined ? 'deployment' : 'me',
    });
    io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatUsageReport(report));
    return 0;
  } finally {
    await context.close();
  }
}

// ---- formatting --------------------------------------------------------------------------------

export function formatTable(head: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const usd = (n: number | null) => (n === null ? 'unknown' : n === 0 ? '0' : n < 0.01 ? n.toFixed(6) : n.toFixed(4));
const share = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`);
const signed = (n: number) => (n > 0 ? `+${int(n)}` : int(n));
const time = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

export function formatUsageReport(report: UsageReport): string {
  const out: string[] = [];
  const whose = report.scope === 'deployment' ? 'whole deployment' : 'one user';
  out.push(`Usage, last ${report.window} (${time(report.ledger.from)} → ${time(report.ledger.to)}), ${whose}`);
  out.push(
    `Prices: table ${report.prices.version}${report.prices.overridden ? ' (from PRICES_FILE)' : ''}, ${report.prices.source}; region ${report.prices.region}\n`,
  );

  const money = [1, 2, 3, 4, 5, 6, 7];
  out.push('Ledger by model');
  if (report.ledger.byModel.length === 0) out.push('  no model calls in this window\n');
  else {
    const rows = report.ledger.byModel.map((m) => [
      m.modelId,
      int(m.calls),
      int(m.inputTokens),
      int(m.outputTokens),
      int(m.cacheReadInputTokens),
      int(m.cacheWriteInputTokens),
      usd(m.costUsd),
      share(m.cacheReadShare),
      m.avgLatencyMs === null ? '—' : `${int(m.avgLatencyMs)} ms`,
    ]);
    const t = report.ledger.totals;
    rows.push([
      'TOTAL',
      int(t.calls),
      int(t.inputTokens),
      int(t.outputTokens),
      int(t.cacheReadInputTokens),
      int(t.cacheWriteInputTokens),
      usd(t.costUsd),
      share(t.cacheReadShare),
      '',
    ]);
    out.push(
      formatTable(['MODEL', 'CALLS', 'INPUT', 'OUTPUT', 'CACHE READ', 'CACHE WRITE', 'COST USD', 'CACHE SHARE', 'AVG LATENCY'], rows, [
        ...money,
        8,
      ]),
    );
  }
  if (report.ledger.byPurpose.length > 0) {
    out.push('Ledger by purpose');
    out.push(
      formatTable(
        ['PURPOSE', 'CALLS', 'INPUT', 'OUTPUT', 'CACHE READ', 'CACHE WRITE', 'COST USD'],
        report.ledger.byPurpose.map((p) => [
          p.purpose,
          int(p.calls),
          int(p.inputTokens),
          int(p.outputTokens),
          int(p.cacheReadInputTokens),
          int(p.cacheWriteInputTokens),
          usd(p.costUsd),
        ]),
        [1, 2, 3, 4, 5, 6],
      ),
    );
  }

  const cw = report.cloudwatch;
  out.push(
    `CloudWatch (AWS/Bedrock, ${cw.region}${cw.fetchedAt ? `, fetched ${time(cw.fetchedAt)}` : ''}): ${cw.state}${cw.reason ? ` — ${cw.reason}` : ''}`,
  );
  if (cw.byModel.length > 0) {
    out.push(
      formatTable(
        [
          'MODEL ID',
          'INVOCATIONS',
          'INPUT',
          'OUTPUT',
          'CACHE READ',
          'CACHE WRITE',
          'LATENCY AVG/P90',
          'THROTTLES',
          'ERRORS C/S',
          'EST. COST USD',
        ],
        cw.byModel.map((m) => [
          m.modelId,
          int(m.invocations),
          int(m.inputTokens),
          int(m.outputTokens),
          int(m.cacheReadInputTokens),
          int(m.cacheWriteInputTokens),
          `${m.latencyAvgMs ?? '—'}/${m.latencyP90Ms ?? '—'} ms`,
          int(m.throttles),
          `${int(m.clientErrors)}/${int(m.serverErrors)}`,
          usd(m.estimatedCostUsd),
        ]),
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
      ),
    );
  } else out.push('');
  if (cw.discovery?.reason) out.push(`  discovery: ${cw.discovery.reason}`);
  if (cw.otherModelIds && cw.otherModelIds.length > 0)
    out.push(`  other Bedrock model ids in the account (not read): ${cw.otherModelIds.join(', ')}`);

  if (report.reconciliation.length > 0) {
    out.push('Reconciliation (ledger vs CloudWatch, same window)');
    out.push(
      formatTable(
        ['MODEL', 'LEDGER CALLS', 'CW INVOCATIONS', 'Δ CALLS', 'LEDGER TOKENS', 'CW TOKENS', 'Δ TOKENS', 'STATUS'],
        report.reconciliation.map((r) => {
          const lt = r.ledger.inputTokens + r.ledger.outputTokens + r.ledger.cacheReadInputTokens + r.ledger.cacheWriteInputTokens;
          const ct = r.cloudwatch
            ? r.cloudwatch.inputTokens + r.cloudwatch.outputTokens + r.cloudwatch.cacheReadInputTokens + r.cloudwatch.cacheWriteInputTokens
            : null;
          return [
            r.modelId,
            int(r.ledger.invocations),
            r.cloudwatch ? int(r.cloudwatch.invocations) : '—',
            r.difference ? signed(r.difference.invocations) : '—',
            int(lt),
            ct === null ? '—' : int(ct),
            ct === null ? '—' : signed(ct - lt),
            r.status,
          ];
        }),
        [1, 2, 3, 4, 5, 6],
      ),
    );
    for (const r of report.reconciliation) out.push(`  ${r.modelId}: ${r.note}`);
    out.push('');
  }

  const alarms = report.alarms;
  out.push(`Alarms${alarms.prefix ? ` (prefix ${alarms.prefix})` : ''}: ${alarms.state}${alarms.reason ? ` — ${alarms.reason}` : ''}`);
  if (alarms.items.length > 0) out.push(formatAlarms(alarms.items));
  else if (alarms.state === 'ok') out.push('  none yet: create them with `dualnova alarms apply`\n');
  else out.push('');

  const b = report.budgets;
  out.push(
    `Budgets (day ${time(b.period.start)} → ${time(b.period.end)}; warning at ${b.warnPercent}%, overview-only up to ${100 + b.gracePercent}%)`,
  );
  const limit = (v: { limit: number | null; used: number; reserved: number; percent: number | null }, money: boolean) =>
    `${money ? usd(v.used) : int(v.used)}${v.reserved > 0 ? ` (+${money ? usd(v.reserved) : int(v.reserved)} reserved)` : ''} / ${v.limit === null ? 'no limit' : money ? usd(v.limit) : int(v.limit)}${v.percent === null ? '' : ` (${v.percent}%)`}`;
  out.push(
    formatTable(
      ['SCOPE', 'TOKENS', 'COST USD', 'CALLS', 'STATE'],
      [b.deployment, b.user].map((s) => [
        s.scope === 'deployment' ? 'deployment' : report.scope === 'deployment' ? 'user (anonymous)' : 'user',
        limit(s.tokens, false),
        limit(s.costUsd, true),
        int(s.calls),
        s.state,
      ]),
    ),
  );
  if (b.answerEstimate)
    out.push(
      `  one two-lane answer reserves up to ${int(b.answerEstimate.tokens)} tokens / $${usd(b.answerEstimate.costUsd)} while it runs\n`,
    );

  if (report.warnings.length > 0) {
    out.push('Warnings');
    for (const w of report.warnings) out.push(`  - ${w.message}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function formatAlarms(items: UsageReport['alarms']['items']): string {
  return formatTable(
    ['NAME', 'STATE', 'SINCE', 'THRESHOLD', 'REASON'],
    items.map((a) => [
      a.name,
      a.state,
      a.updatedAt ? time(a.updatedAt) : '—',
      a.threshold === null ? '—' : String(a.threshold),
      a.reason.length > 100 ? `${a.reason.slice(0, 97)}...` : a.reason,
    ]),
  );
}
