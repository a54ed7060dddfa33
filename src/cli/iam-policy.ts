/**
 * `dualnova iam-policy`: prints the least-privilege IAM policy for the current settings (the
 * environment and SETTINGS_FILE; the settings secret is not read — this is what lets the app read
 * it). The account id comes from --account, else from STS when AWS credentials are at hand, else
 * the `${AWS::AccountId}` placeholder (CloudFormation's Fn::Sub fills it in).
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsClients } from '../aws/clients.js';
import { iamPolicyDocument, iamPolicyStatements, ACCOUNT_PLACEHOLDER } from '../aws/iam-policy.js';
import { callWithDeadline } from '../aws/probes.js';
import { awsAccess } from '../aws/registry.js';
import { loadSettings } from '../config/settings.js';
import { policyInputFor } from './doctor.js';

export interface IamPolicyOptions {
  account?: string;
  metricsNamespace?: string;
  /** Print only the statements array (for pasting into an existing policy). */
  statementsOnly?: boolean;
}

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env?: NodeJS.ProcessEnv;
}

export async function runIamPolicy(options: IamPolicyOptions = {}, io: CliIo = process): Promise<number> {
  const env = io.env ?? process.env;
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    io.stderr.write(`dualnova: --account must be a 12-digit AWS account id (got "${options.account}")\n`);
    return 2;
  }
  const settings = loadSettings({ env });
  const accountId = options.account ?? (await accountFromSts(settings, env, io));
  const input = policyInputFor(
    settings,
    { accountId },
    options.metricsNamespace ? { ...env, DUALNOVA_POLICY_METRICS_NAMESPACE: options.metricsNamespace } : env,
  );
  const statements = iamPolicyStatements(input);
  io.stdout.write(`${JSON.stringify(options.statementsOnly ? statements : iamPolicyDocument(statements), null, 2)}\n`);

  const notes: string[] = [];
  if (accountId === ACCOUNT_PLACEHOLDER)
    notes.push(`the account id is the placeholder ${ACCOUNT_PLACEHOLDER}: pass --account ID, or run with AWS credentials`);
  if (settings.settingsSecret) notes.push('a settings secret encrypted with a customer-managed KMS key also needs kms:Decrypt on that key');
  if (!input.metricsNamespace)
    notes.push(
      'cloudwatch:PutMetricData is not included: the app publishes metrics as EMF log lines (pass --metrics-namespace to grant it for other publishers)',
    );
  if ([settings.fastModelId, settings.detailModelId].some((id) => id.includes(':application-inference-profile/'))) {
    notes.push('an application inference profile hides its model: add bedrock:InvokeModel* on its foundation-model ARNs yourself');
  }
  for (const note of notes) io.stderr.write(`note: ${note}\n`);
  return 0;
}

async function accountFromSts(settings: ReturnType<typeof loadSettings>, env: NodeJS.ProcessEnv, io: CliIo): Promise<string> {
  if (!awsAccess(settings, env).enabled) return ACCOUNT_PLACEHOLDER;
  const clients = new AwsClients();
  try {
    const outcome = await callWithDeadline(
      (abortSignal) => clients.sts(settings.bedrockRegion).send(new GetCallerIdentityCommand({}), { abortSignal }),
      { signal: new AbortController().signal, timeoutMs: settings.probes.timeoutMs },
    );
    if (outcome.ok && outcome.value.Account) return outcome.value.Account;
    if (!outcome.ok) io.stderr.write(`note: could not ask STS for the account id (${outcome.failure.summary})\n`);
    return ACCOUNT_PLACEHOLDER;
  } finally {
    clients.destroy();
  }
}
