/**
 * Cheap, read-only checks of each dependency. Every input is a typed SDK command input, so a
 * parameter an API does not have (the old `ListMetrics(MaxRecords=…)` crash) does not compile.
 * A probe never throws: whatever happens becomes a ProbeResult.
 */
import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { GetFoundationModelCommand, GetInferenceProfileCommand } from '@aws-sdk/client-bedrock';
import type { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { GetKnowledgeBaseCommand } from '@aws-sdk/client-bedrock-agent';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeAlarmsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { sql } from 'kysely';
import { inferenceProfileFor, isInferenceProfileId } from '../models/catalogue.js';
import type { Store } from '../store/database.js';
import { describeAwsError, type AwsFailure } from '../errors/aws.js';
import { IAM_CATALOGUE, type CatalogueCommand } from './iam-catalogue.js';
import type { DependencyCheck, DependencyState } from '../contract/status.js';

/** The IAM action of a command, from the catalogue (a refused call names it when AWS's message does not). */
function catalogueAction(command: CatalogueCommand): string {
  return IAM_CATALOGUE[command].actions[0] ?? command.replace(/Command$/, '');
}

const ACTION = {
  // GetCallerIdentity needs no permission; the operation name stands in for messages.
  sts: 'sts:GetCallerIdentity',
  listMetrics: catalogueAction('ListMetricsCommand'),
  describeAlarms: catalogueAction('DescribeAlarmsCommand'),
  inferenceProfile: catalogueAction('GetInferenceProfileCommand'),
  foundationModel: catalogueAction('GetFoundationModelCommand'),
  knowledgeBase: catalogueAction('GetKnowledgeBaseCommand'),
  describeSecret: catalogueAction('DescribeSecretCommand'),
} as const;

export interface ProbeResult {
  state: DependencyState;
  detail: string;
  missingPermission?: string;
  missingPermissions?: string[];
  fix?: string;
  checks?: DependencyCheck[];
  latencyMs?: number;
  /**
   * True when this result proves the dependency cannot be used (a model id that does not exist,
   * an invocation that was refused), not merely that a check of it failed.
   */
  blocking?: boolean;
  /** Facts other parts use: the account id from STS, a secret's full ARN. */
  facts?: Record<string, string>;
}

export interface ProbeContext {
  /** Aborted when the monitor stops. */
  signal: AbortSignal;
  timeoutMs: number;
}

type CallOutcome<T> = { ok: true; value: T; latencyMs: number } | { ok: false; failure: AwsFailure; latencyMs: number };

/** Anything with a per-command middleware stack (every SDK v3 command). */
interface TrackableCommand {
  middlewareStack: { add(middleware: never, options: { step: 'deserialize'; priority: 'high'; name: string }): void };
}

/**
 * Remembers the error of each attempt of one command (the middleware sits inside the SDK's retry
 * loop). When the deadline passes while the SDK is still retrying — throttled, or failing with
 * 5xx — the check then reports what the service said rather than "no answer".
 */
function trackAttempts(command: TrackableCommand): () => unknown {
  let last: unknown;
  const middleware = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
    try {
      return await next(args);
    } catch (error) {
      last = error;
      throw error;
    }
  };
  command.middlewareStack.add(middleware as never, { step: 'deserialize', priority: 'high', name: 'dualnovaAttemptTracker' });
  return () => last;
}

/**
 * Runs one AWS call under a hard deadline: the SDK gets an AbortSignal (it cancels the HTTP
 * request), and the promise is raced against the deadline too, because credential resolution
 * runs before the SDK looks at the signal. Pass the command to learn what a retried attempt saw.
 */
export async function callWithDeadline<T>(
  call: (signal: AbortSignal) => Promise<T>,
  context: ProbeContext,
  command?: TrackableCommand,
): Promise<CallOutcome<T>> {
  const started = performance.now();
  const lastAttemptError = command ? trackAttempts(command) : () => undefined;
  const deadline = AbortSignal.timeout(context.timeoutMs);
  const signal = AbortSignal.any([deadline, context.signal]);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const value = await Promise.race([call(signal), aborted]);
    return { ok: true, value, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const timedOut = deadline.aborted && !context.signal.aborted;
    const latencyMs = Math.round(performance.now() - started);
    const attempt = timedOut ? lastAttemptError() : undefined;
    if (attempt !== undefined) {
      const failure = describeAwsError(attempt);
      return {
        ok: false,
        failure: { ...failure, summary: `${failure.summary} (still retrying when the ${context.timeoutMs} ms deadline passed)` },
        latencyMs,
      };
    }
    return { ok: false, failure: describeAwsError(error, { timedOut, timeoutMs: context.timeoutMs }), latencyMs };
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

const POLICY_HINT = '`dualnova doctor` prints the IAM statement to add; `dualnova iam-policy` prints the whole policy';

/** The standard wording for a failed call, by kind; `action` is the IAM action the call needs. */
export function failureResult(failure: AwsFailure, action: string, what: string, latencyMs: number): ProbeResult {
  const missing = failure.deniedAction ?? action;
  switch (failure.kind) {
    case 'denied':
      return {
        state: 'denied',
        detail: `${what}: access denied — the role needs ${missing}${failure.explicitDeny ? ' (an explicit Deny blocks it)' : ''}`,
        missingPermission: missing,
        fix: failure.explicitDeny
          ? `An explicit Deny (SCP, permissions boundary or resource policy) refuses ${missing}; adding an Allow will not help — ask the account administrator.`
          : `Allow ${missing} for the role dualnova runs as (${POLICY_HINT}).`,
        latencyMs,
      };
    case 'credentials':
      return {
        state: 'denied',
        detail: `${what}: ${failure.summary}`,
        fix: 'Check the credentials the app runs with (expired session? wrong access key?).',
        latencyMs,
      };
    case 'no-credentials':
      return {
        state: 'unconfigured',
        detail: `${what}: no AWS credentials could be loaded`,
        fix: 'Give the process credentials: environment variables, AWS_PROFILE, or an ECS task role.',
        latencyMs,
      };
    case 'throttled':
      return {
        state: 'degraded',
        detail: `${what}: ${failure.summary}`,
        fix: 'Usually passes on its own; if it persists, look for other callers in the account or ask for a higher quota.',
        latencyMs,
      };
    case 'timeout':
      return {
        state: 'unreachable',
        detail: `${what}: ${failure.summary}`,
        fix: 'Check the network path to the endpoint (VPC endpoints, NAT, security groups, AWS_ENDPOINT_URL_* settings).',
        latencyMs,
      };
    case 'unreachable':
      return {
        state: 'unreachable',
        detail: `${what}: ${failure.summary}`,
        fix: 'Check the network path to the endpoint (VPC endpoints, NAT, security groups, AWS_ENDPOINT_URL_* settings).',
        latencyMs,
      };
    case 'server':
      return {
        state: 'error',
        detail: `${what}: ${failure.summary}`,
        fix: 'An AWS-side failure; it is retried on the next check. See the AWS Health Dashboard if it persists.',
        latencyMs,
      };
    default:
      return { state: 'error', detail: `${what}: ${failure.summary}`, latencyMs };
  }
}

const NOT_ENABLED_REASON = 'no AWS credentials found (environment variables, AWS_PROFILE / ~/.aws, ECS or EKS task role)';

/** The result for every AWS dependency when the app runs without AWS: no call is made at all. */
export function awsDisabledResult(what: string): ProbeResult {
  return {
    state: 'unconfigured',
    detail: `${what}: not checked — ${NOT_ENABLED_REASON}`,
    fix: 'To use AWS, give the process credentials (or set MODEL_PROVIDER=bedrock on EC2 to use the instance role) and restart.',
  };
}

// ---------------------------------------------------------------------------------------------

export async function probeSts(client: STSClient, context: ProbeContext): Promise<ProbeResult> {
  const command = new GetCallerIdentityCommand({});
  const outcome = await callWithDeadline((abortSignal) => client.send(command, { abortSignal }), context, command);
  if (!outcome.ok) return failureResult(outcome.failure, ACTION.sts, 'identity', outcome.latencyMs);
  const { Account, Arn } = outcome.value;
  return {
    state: 'ok',
    detail: `account ${Account ?? '?'} as ${Arn ?? '?'}`,
    latencyMs: outcome.latencyMs,
    facts: { ...(Account ? { accountId: Account } : {}), ...(Arn ? { arn: Arn } : {}) },
  };
}

/**
 * Two calls: the first page of ListMetrics in AWS/Bedrock (token monitoring; never paged further
 * here) and DescribeAlarms with MaxRecords 1 under the app's prefix (alarms). ListMetrics has no
 * MaxRecords parameter; the type checker enforces that (test/types/aws-list-metrics.ts).
 */
export async function probeCloudWatch(client: CloudWatchClient, alarmNamePrefix: string, context: ProbeContext): Promise<ProbeResult> {
  const listMetrics = new ListMetricsCommand({ Namespace: 'AWS/Bedrock' });
  const describeAlarms = new DescribeAlarmsCommand({ AlarmNamePrefix: alarmNamePrefix, AlarmTypes: ['MetricAlarm'], MaxRecords: 1 });
  const [metrics, alarms] = await Promise.all([
    callWithDeadline((abortSignal) => client.send(listMetrics, { abortSignal }), context, listMetrics),
    callWithDeadline((abortSignal) => client.send(describeAlarms, { abortSignal }), context, describeAlarms),
  ]);

  const metricsCheck: DependencyCheck & { result?: ProbeResult } = metrics.ok
    ? {
        action: ACTION.listMetrics,
        state: 'ok',
        detail: describeBedrockMetrics(metrics.value.Metrics ?? [], metrics.value.NextToken !== undefined),
        latencyMs: metrics.latencyMs,
      }
    : withResult(ACTION.listMetrics, failureResult(metrics.failure, ACTION.listMetrics, 'metrics (ListMetrics)', metrics.latencyMs));
  const alarmsCheck: DependencyCheck & { result?: ProbeResult } = alarms.ok
    ? {
        action: ACTION.describeAlarms,
        state: 'ok',
        detail:
          (alarms.value.MetricAlarms ?? []).length > 0
            ? `alarms under "${alarmNamePrefix}" readable`
            : `alarms readable; none named "${alarmNamePrefix}…" yet`,
        latencyMs: alarms.latencyMs,
      }
    : withResult(ACTION.describeAlarms, failureResult(alarms.failure, ACTION.describeAlarms, 'alarms (DescribeAlarms)', alarms.latencyMs));

  const checks: DependencyCheck[] = [metricsCheck, alarmsCheck].map(({ result: _result, ...check }) => check);
  const missing = [metricsCheck, alarmsCheck].flatMap((c) => (c.result?.missingPermission ? [c.result.missingPermission] : []));
  const latencyMs = Math.max(metrics.latencyMs, alarms.latencyMs);
  const detail = checks.map((c) => c.detail).join('; ');
  const firstFix = [metricsCheck, alarmsCheck].find((c) => c.result?.fix)?.result?.fix;
  const permissionFields = {
    ...(missing[0] ? { missingPermission: missing[0] } : {}),
    ...(missing.length > 1 ? { missingPermissions: missing } : {}),
  };

  if (metricsCheck.state === 'ok' && alarmsCheck.state === 'ok') return { state: 'ok', detail, checks, latencyMs };
  // Metrics work but alarms do not: token monitoring stays on, the alarm panel goes off.
  const state: DependencyState = metricsCheck.state === 'ok' ? 'degraded' : metricsCheck.state;
  return { state, detail, checks, latencyMs, ...permissionFields, ...(firstFix ? { fix: firstFix } : {}) };
}

function withResult(action: string, result: ProbeResult): DependencyCheck & { result: ProbeResult } {
  return {
    action,
    state: result.state,
    detail: result.detail,
    ...(result.latencyMs === undefined ? {} : { latencyMs: result.latencyMs }),
    result,
  };
}

function describeBedrockMetrics(metrics: Array<{ Dimensions?: Array<{ Name?: string; Value?: string }> }>, more: boolean): string {
  if (metrics.length === 0) return 'AWS/Bedrock metrics readable; none yet (they appear after the first model call in this region)';
  const models = new Set(
    metrics.flatMap((m) => (m.Dimensions ?? []).filter((d) => d.Name === 'ModelId' && d.Value).map((d) => d.Value as string)),
  );
  const list = [...models].slice(0, 4).join(', ');
  return `AWS/Bedrock metrics readable (${metrics.length}${more ? '+' : ''} metrics${models.size > 0 ? ` for ${list}${models.size > 4 ? ', …' : ''}` : ''})`;
}

/**
 * A configured model: GetInferenceProfile for a profile id, GetFoundationModel for a base id.
 * This proves the id exists and is active; it cannot prove the caller may invoke it (that needs
 * an invocation, which costs tokens), so a refused check does not block chat — a refused real
 * call does (see observe.ts).
 */
export async function probeModel(client: BedrockClient, modelId: string, region: string, context: ProbeContext): Promise<ProbeResult> {
  if (isInferenceProfileId(modelId)) {
    const command = new GetInferenceProfileCommand({ inferenceProfileIdentifier: modelId });
    const outcome = await callWithDeadline((abortSignal) => client.send(command, { abortSignal }), context, command);
    if (!outcome.ok) return modelFailure(outcome.failure, ACTION.inferenceProfile, modelId, region, outcome.latencyMs);
    const profile = outcome.value;
    const regions = [
      ...new Set((profile.models ?? []).flatMap((m) => (m.modelArn ? [m.modelArn.split(':')[3] ?? ''] : [])).filter(Boolean)),
    ];
    const routes = regions.length > 0 ? `; routes to ${regions.join(', ')}` : '';
    // A string, not the SDK's enum: AWS may add states this SDK version does not know.
    const status: string | undefined = profile.status;
    if (status !== undefined && status !== 'ACTIVE') {
      return {
        state: 'error',
        detail: `inference profile ${modelId} is ${status}${routes}`,
        blocking: true,
        latencyMs: outcome.latencyMs,
      };
    }
    return {
      state: 'ok',
      detail: `inference profile ${modelId} is ACTIVE in ${region}${routes}; invoking it is proven by the first answer (or by dualnova doctor --invoke)`,
      latencyMs: outcome.latencyMs,
    };
  }

  const command = new GetFoundationModelCommand({ modelIdentifier: modelId });
  const outcome = await callWithDeadline((abortSignal) => client.send(command, { abortSignal }), context, command);
  if (!outcome.ok) return modelFailure(outcome.failure, ACTION.foundationModel, modelId, region, outcome.latencyMs);
  const details = outcome.value.modelDetails;
  const types = details?.inferenceTypesSupported ?? [];
  if (types.length > 0 && !types.includes('ON_DEMAND')) {
    const profile = inferenceProfileFor(modelId, region);
    return {
      state: 'error',
      detail: `${modelId} cannot be invoked on demand in ${region} (it supports ${types.join(', ')}); use the inference profile ${profile}`,
      fix: `Set FAST_MODEL_ID / DETAIL_MODEL_ID to the inference profile id (${profile}).`,
      blocking: true,
      latencyMs: outcome.latencyMs,
    };
  }
  const lifecycle = details?.modelLifecycle?.status;
  if (lifecycle === 'LEGACY') {
    return {
      state: 'degraded',
      detail: `${modelId} is a LEGACY model in ${region}: it still answers, but AWS will retire it`,
      fix: 'Plan a move to a current model id.',
      latencyMs: outcome.latencyMs,
    };
  }
  return { state: 'ok', detail: `foundation model ${modelId} is ${lifecycle ?? 'available'} in ${region}`, latencyMs: outcome.latencyMs };
}

function modelFailure(failure: AwsFailure, action: string, modelId: string, region: string, latencyMs: number): ProbeResult {
  if (failure.kind === 'not-found' || (failure.kind === 'invalid' && /ValidationException/.test(failure.name))) {
    const suggestion = isInferenceProfileId(modelId)
      ? ''
      : ` (Nova models are invoked through inference profiles, e.g. ${inferenceProfileFor(modelId, region)})`;
    return {
      state: 'error',
      detail: `model ${modelId} does not exist in ${region}: ${failure.summary}${suggestion}`,
      fix: 'Check FAST_MODEL_ID / DETAIL_MODEL_ID and BEDROCK_REGION.',
      blocking: true,
      latencyMs,
    };
  }
  const result = failureResult(failure, action, `model ${modelId}`, latencyMs);
  if (failure.kind === 'denied') {
    // Only the status check was refused; the answers may still work.
    result.detail += '; whether it may be invoked is not known until the first answer (or dualnova doctor --invoke)';
  }
  if (failure.kind === 'no-credentials') result.blocking = true;
  return result;
}

export async function probeKnowledgeBase(
  client: BedrockAgentClient,
  knowledgeBaseId: string,
  region: string,
  context: ProbeContext,
): Promise<ProbeResult> {
  const command = new GetKnowledgeBaseCommand({ knowledgeBaseId });
  const outcome = await callWithDeadline((abortSignal) => client.send(command, { abortSignal }), context, command);
  const what = `knowledge base ${knowledgeBaseId}`;
  if (!outcome.ok) {
    const failure = outcome.failure;
    if (failure.kind === 'not-found') {
      return {
        state: 'error',
        detail: `${what} does not exist in ${region}; answering from the local knowledge base`,
        fix: 'Check KNOWLEDGE_BASE_ID and BEDROCK_REGION.',
        blocking: true,
        latencyMs: outcome.latencyMs,
      };
    }
    const result = failureResult(failure, ACTION.knowledgeBase, what, outcome.latencyMs);
    if (failure.kind === 'no-credentials') result.blocking = true;
    return result;
  }
  const kb = outcome.value.knowledgeBase;
  const status = kb?.status ?? 'UNKNOWN';
  const name = kb?.name ? `"${kb.name}" (${knowledgeBaseId})` : knowledgeBaseId;
  const reasons = (kb?.failureReasons ?? []).join('; ');
  if (status === 'ACTIVE') return { state: 'ok', detail: `knowledge base ${name} is ACTIVE in ${region}`, latencyMs: outcome.latencyMs };
  if (status === 'CREATING' || status === 'UPDATING') {
    return { state: 'degraded', detail: `knowledge base ${name} is ${status}; searches may miss documents`, latencyMs: outcome.latencyMs };
  }
  return {
    state: 'error',
    detail: `knowledge base ${name} is ${status}${reasons ? `: ${reasons}` : ''}; answering from the local knowledge base`,
    fix: 'Repair or recreate the knowledge base in the Bedrock console, or unset KNOWLEDGE_BASE_ID.',
    blocking: true,
    latencyMs: outcome.latencyMs,
  };
}

/** Metadata only (DescribeSecret): the value is read once, at start-up, never by the check. */
export async function probeSecret(client: SecretsManagerClient, secretId: string, context: ProbeContext): Promise<ProbeResult> {
  const command = new DescribeSecretCommand({ SecretId: secretId });
  const outcome = await callWithDeadline((abortSignal) => client.send(command, { abortSignal }), context, command);
  const what = `settings secret ${secretId}`;
  if (!outcome.ok) {
    if (outcome.failure.kind === 'not-found') {
      return {
        state: 'error',
        detail: `${what} no longer exists; the settings read at start stay in use until the next restart, which will fail`,
        fix: 'Restore the secret or point DUALNOVA_SETTINGS_SECRET at the right one.',
        latencyMs: outcome.latencyMs,
      };
    }
    return failureResult(outcome.failure, ACTION.describeSecret, what, outcome.latencyMs);
  }
  const secret = outcome.value;
  const facts = secret.ARN ? { secretArn: secret.ARN } : undefined;
  if (secret.DeletedDate) {
    return {
      state: 'error',
      detail: `${what} is scheduled for deletion (${secret.DeletedDate.toISOString()}); the next restart will fail`,
      fix: 'Cancel the deletion: aws secretsmanager restore-secret --secret-id …',
      latencyMs: outcome.latencyMs,
      ...(facts ? { facts } : {}),
    };
  }
  const changed = secret.LastChangedDate ? `, last changed ${secret.LastChangedDate.toISOString()}` : '';
  const kms =
    secret.KmsKeyId && !secret.KmsKeyId.endsWith('alias/aws/secretsmanager')
      ? `; encrypted with ${secret.KmsKeyId} (reading it also needs kms:Decrypt on that key)`
      : '';
  return {
    state: 'ok',
    detail: `${what} readable (${secret.ARN ?? secretId}${changed})${kms}; settings are read from it at start-up`,
    latencyMs: outcome.latencyMs,
    ...(facts ? { facts } : {}),
  };
}

export async function probeDatabase(store: Store, description: string, context: ProbeContext): Promise<ProbeResult> {
  const outcome = await callWithDeadline(async () => {
    await sql`select 1`.execute(store.db);
  }, context);
  if (outcome.ok) return { state: 'ok', detail: description, latencyMs: outcome.latencyMs };
  const failure = outcome.failure;
  const state: DependencyState = failure.kind === 'unreachable' || failure.kind === 'timeout' ? 'unreachable' : 'error';
  return {
    state,
    detail: `${description}: ${failure.kind === 'timeout' ? failure.summary : failure.message}`,
    fix:
      store.kind === 'postgres'
        ? 'Check that PostgreSQL is up and reachable from the app (DATABASE_URL / DB_HOST).'
        : `Check the disk and permissions of the data folder.`,
    blocking: true,
    latencyMs: outcome.latencyMs,
  };
}

/** "PostgreSQL db.example:5432/dualnova" — never the password or the full URL. */
export function describeDatabase(kind: Store['kind'], databaseUrl: string | undefined, dataDir: string): string {
  if (kind === 'sqlite') return `SQLite file in ${dataDir}`;
  try {
    const url = new URL(databaseUrl ?? '');
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export { NOT_ENABLED_REASON };
