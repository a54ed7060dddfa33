/**
 * `dualnova doctor`: runs every dependency check once, in the foreground, and prints what
 * GET /api/status would show — as a table, or JSON with --json — plus, for each refused IAM action,
 * the policy statement that would allow it. Exit code: 0 chat can be served, 1 it cannot (or, with
 * --strict, any configured dependency is not ok), 2 invalid settings or an unreadable settings secret.
 */
import { createRuntime, type Runtime } from '../app/runtime.js';
import { AwsClients } from '../aws/clients.js';
import { observeRetriever } from '../aws/observe.js';
import { BedrockKbRetriever } from '../knowledge/bedrock-kb-retriever.js';
import { ACCOUNT_PLACEHOLDER, statementsForActions, type IamPolicyInput, type IamStatement } from '../aws/iam-policy.js';
import { loadSettingsFromSources, SettingsSecretError } from '../aws/settings-secret.js';
import type { DependencyStatus, StatusReport } from '../contract/status.js';
import { loadSettings, type Settings } from '../config/settings.js';
import { createLogger } from '../log/logger.js';

export interface DoctorOptions {
  json?: boolean;
  /** Also fail (exit 1) when any configured dependency is not ok. */
  strict?: boolean;
  /**
   * Also make one real, minimal call per model (a 1-token answer) and one knowledge-base search:
   * the only way to prove bedrock:InvokeModelWithResponseStream and bedrock:Retrieve. Costs a few tokens.
   */
  invoke?: boolean;
}

export interface DoctorIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
}

export interface DoctorFix {
  dependency: string;
  action: string;
  /** The statement to add; absent when the catalogue cannot produce one (kms:Decrypt...). */
  statement?: IamStatement;
  note?: string;
}

export interface DoctorInvocation {
  target: string;
  ok: boolean;
  latencyMs: number;
  detail?: string;
  error?: string;
}

export interface DoctorReport {
  ready: boolean;
  reasons: string[];
  exitCode: number;
  provider: string;
  region: string;
  accountId?: string;
  identity?: string;
  status?: StatusReport;
  /** Set when start-up itself would fail (the settings secret). */
  settingsError?: string;
  fixes: DoctorFix[];
  /** With --invoke: the real calls made. */
  invocations?: DoctorInvocation[];
}

const FAILING = new Set(['degraded', 'denied', 'unreachable', 'error']);

/** The policy input for this deployment, with what the checks found (account id, secret ARN). */
export function policyInputFor(settings: Settings, facts: Record<string, string>, env: NodeJS.ProcessEnv = process.env): IamPolicyInput {
  const secret = facts.secretArn ?? settings.settingsSecret;
  // Metrics go out as EMF log lines (no PutMetricData), so the policy only grants it when asked explicitly.
  const metricsNamespace = env.DUALNOVA_POLICY_METRICS_NAMESPACE?.trim();
  return {
    region: settings.bedrockRegion,
    accountId: facts.accountId ?? ACCOUNT_PLACEHOLDER,
    fastModelId: settings.fastModelId,
    detailModelId: settings.detailModelId,
    ...(settings.knowledgeBaseId ? { knowledgeBaseId: settings.knowledgeBaseId } : {}),
    ...(secret ? { settingsSecretArn: secret } : {}),
    alarmNamePrefix: settings.alarmNamePrefix,
    ...(metricsNamespace ? { metricsNamespace } : {}),
  };
}

/** One fix per refused action: the catalogue's statement for it, cut down to that action. */
export function fixesFor(dependencies: DependencyStatus[], input: IamPolicyInput): DoctorFix[] {
  const fixes: DoctorFix[] = [];
  for (const dependency of dependencies) {
    const actions = dependency.missingPermissions ?? (dependency.missingPermission ? [dependency.missingPermission] : []);
    for (const action of actions) {
      const [statement] = statementsForActions([action], input);
      if (statement) fixes.push({ dependency: dependency.name, action, statement });
      else if (action === 'sts:GetCallerIdentity') {
        fixes.push({
          dependency: dependency.name,
          action,
          note: 'sts:GetCallerIdentity needs no IAM permission: a refusal means the credentials themselves (or the endpoint) are wrong.',
        });
      } else {
        fixes.push({
          dependency: dependency.name,
          action,
          note: `${action} has no statement in the app's catalogue: grant it on the resource named in the detail (e.g. kms:Decrypt on the secret's KMS key).`,
        });
      }
    }
  }
  return fixes;
}

export async function runDoctor(options: DoctorOptions = {}, io: DoctorIo = process): Promise<number> {
  const env = io.env ?? process.env;
  const report = await diagnose(options, env);
  io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report));
  return report.exitCode;
}

/** Runs the checks and builds the report; never prints. */
export async function diagnose(options: DoctorOptions, env: NodeJS.ProcessEnv = process.env): Promise<DoctorReport> {
  let settings: Settings;
  try {
    settings = await loadSettingsFromSources({ env });
  } catch (error) {
    if (!(error instanceof SettingsSecretError)) throw error;
    return secretFailure(error, env);
  }
  const verbose = settings.logLevel === 'debug' || settings.logLevel === 'trace';
  const logger = createLogger(verbose ? settings.logLevel : 'silent', process.stderr);
  const runtime = await createRuntime(settings, logger, { background: false });
  try {
    await runtime.dependencies.refresh();
    const invocations = options.invoke ? await invokeOnce(runtime, settings) : undefined;
    const status = runtime.status();
    const { ready, reasons } = runtime.readiness();
    const facts = runtime.dependencies.facts();
    const fixes = fixesFor(status.dependencies, policyInputFor(settings, facts, env));
    const failing = status.dependencies.filter((d) => FAILING.has(d.state));
    const exitCode = !ready || (options.strict && failing.length > 0) ? 1 : 0;
    return {
      ready,
      reasons,
      exitCode,
      provider: status.provider,
      region: settings.bedrockRegion,
      ...(facts.accountId ? { accountId: facts.accountId } : {}),
      ...(facts.arn ? { identity: facts.arn } : {}),
      status,
      fixes,
      ...(invocations ? { invocations } : {}),
    };
  } finally {
    await runtime.close();
  }
}

const INVOKE_TIMEOUT_MS = 30_000;

/**
 * One minimal real call per configured model and one search of the Bedrock knowledge base. They go
 * through the same observing wrappers as chat, so a refusal lands in the registry (and the table).
 */
async function invokeOnce(runtime: Runtime, settings: Settings): Promise<DoctorInvocation[]> {
  const results: DoctorInvocation[] = [];
  const signal = AbortSignal.timeout(INVOKE_TIMEOUT_MS);
  const { overview, detail } = runtime.models.relay;
  const model = runtime.models.fastModel;
  if (runtime.models.provider === 'bedrock' && model) {
    for (const part of overview.modelId === detail.modelId ? [overview] : [overview, detail]) {
      const started = performance.now();
      try {
        for await (const event of model.stream({
          modelId: part.modelId,
          staticSystem: 'Answer with one word.',
          messages: [{ role: 'user', text: 'ping' }],
          inference: { maxTokens: 1, temperature: 0 },
          signal,
        })) {
          if (event.type === 'end') break;
        }
        results.push({ target: `model ${part.modelId}`, ok: true, latencyMs: Math.round(performance.now() - started) });
      } catch (error) {
        results.push({
          target: `model ${part.modelId}`,
          ok: false,
          latencyMs: Math.round(performance.now() - started),
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }
  if (settings.knowledgeBaseId) {
    const clients = new AwsClients();
    const started = performance.now();
    try {
      const retriever = observeRetriever(
        new BedrockKbRetriever(clients.bedrockAgentRuntime(settings.bedrockRegion), settings.knowledgeBaseId, 1),
        runtime.dependencies,
        settings.knowledgeBaseId,
      );
      const found = await retriever.retrieve('ping', { limit: 1, signal });
      results.push({
        target: `knowledge base ${settings.knowledgeBaseId}`,
        ok: true,
        latencyMs: Math.round(performance.now() - started),
        detail: `${found.length} passage(s)`,
      });
    } catch (error) {
      results.push({
        target: `knowledge base ${settings.knowledgeBaseId}`,
        ok: false,
        latencyMs: Math.round(performance.now() - started),
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      clients.destroy();
    }
  }
  return results;
}

function secretFailure(error: SettingsSecretError, env: NodeJS.ProcessEnv): DoctorReport {
  // The rest of the settings are still readable without the secret: enough for the statement.
  const settings = loadSettings({ env });
  const input = policyInputFor(settings, {}, env);
  const action = error.missingPermission;
  const [statement] = action ? statementsForActions([action], input) : [];
  return {
    ready: false,
    reasons: [error.problems[0] ?? error.message],
    exitCode: 2,
    provider: settings.modelProvider,
    region: settings.bedrockRegion,
    settingsError: error.problems[0] ?? error.message,
    fixes: action
      ? [
          statement
            ? { dependency: 'secrets-manager', action, statement }
            : { dependency: 'secrets-manager', action, note: `grant ${action} on the key that encrypts the secret` },
        ]
      : [],
  };
}

// ---------------------------------------------------------------------------------------------

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

export function formatDoctor(report: DoctorReport): string {
  const lines: string[] = [];
  const who = report.accountId ? ` · account ${report.accountId}${report.identity ? ` (${report.identity})` : ''}` : '';
  lines.push(`dualnova doctor · provider ${report.provider} · region ${report.region}${who}`, '');

  if (report.settingsError) {
    lines.push(`settings secret: ${report.settingsError}`, '');
  }

  const status = report.status;
  if (status) {
    const nameWidth = Math.min(44, Math.max(10, ...status.dependencies.map((d) => d.name.length))) + 2;
    lines.push(`${pad('DEPENDENCY', nameWidth)}${pad('STATE', 14)}${pad('LATENCY', 9)}DETAIL`);
    for (const d of status.dependencies) {
      const latency = d.latencyMs === undefined ? '' : `${d.latencyMs} ms`;
      lines.push(`${pad(truncate(d.name, nameWidth - 2), nameWidth)}${pad(d.state, 14)}${pad(latency, 9)}${d.detail}`);
      const missing = d.missingPermissions ?? (d.missingPermission ? [d.missingPermission] : []);
      if (missing.length > 0) lines.push(`${' '.repeat(nameWidth)}missing permission: ${missing.join(', ')}`);
      if (d.fix && d.state !== 'ok') lines.push(`${' '.repeat(nameWidth)}fix: ${d.fix}`);
    }
    lines.push('', `${pad('FEATURE', 17)}${pad('STATUS', 8)}REASON`);
    for (const [name, feature] of Object.entries(status.features)) {
      lines.push(`${pad(name, 17)}${pad(feature.available ? 'on' : 'off', 8)}${feature.reason ?? ''}`);
    }
  }

  if (report.invocations && report.invocations.length > 0) {
    lines.push('', 'REAL CALLS (--invoke)');
    for (const call of report.invocations) {
      lines.push(
        `${pad(call.target, 44)}${pad(call.ok ? 'ok' : 'failed', 8)}${pad(`${call.latencyMs} ms`, 9)}${call.ok ? (call.detail ?? '') : (call.error ?? '')}`,
      );
    }
  }

  if (report.fixes.length > 0) {
    lines.push('', 'IAM statements that would allow the refused actions (add them to the role dualnova runs as):');
    for (const fix of report.fixes) {
      lines.push('', `# ${fix.dependency}: ${fix.action}`);
      lines.push(fix.statement ? JSON.stringify(fix.statement, null, 2) : `# ${fix.note ?? ''}`);
    }
  }

  lines.push('');
  if (report.ready) {
    lines.push(
      report.exitCode === 0 ? 'Result: chat can be served.' : 'Result: chat can be served, but some dependencies are not ok (--strict).',
    );
  } else if (report.settingsError) {
    lines.push('Result: dualnova would not start: the settings secret cannot be used.');
  } else {
    lines.push(`Result: chat CANNOT be served: ${report.reasons.join('; ')}`);
  }
  lines.push(`(exit code ${report.exitCode})`, '');
  return lines.join('\n');
}
