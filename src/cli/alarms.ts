/**
 * `dualnova alarms apply|list`: the usage alarms under ALARM_NAME_PREFIX (src/usage/alarms.ts).
 * In a CDK deployment the stack creates the same alarms; `apply` is for deployments without it, or
 * to change thresholds by hand (CloudFormation then shows drift until the stack's values match).
 */
import { parseArgs } from 'node:util';
import { describeAwsError } from '../errors/aws.js';
import { applyAlarms, DEFAULT_SERVER_ERRORS_PER_5_MIN, DEFAULT_THROTTLES_PER_5_MIN, planAlarms } from '../usage/alarms.js';
import { listAlarms } from '../usage/cloudwatch-reader.js';
import { formatAlarms, openUsageContext, type CliIo } from './usage.js';

export const ALARMS_USAGE = `  dualnova alarms apply [--sns-topic ARN] [--tokens-per-hour N] [--cost-per-day USD]
                        [--throttles N] [--server-errors N] [--prune] [--dry-run]
                                         create or update the CloudWatch usage alarms under ALARM_NAME_PREFIX
  dualnova alarms list [--json]          the states of those alarms`;

const SNS_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

function positive(value: string | undefined, name: string, integer: boolean): number | undefined | Error {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    return new Error(`--${name} must be a ${integer ? 'whole ' : ''}number above 0`);
  return n;
}

export async function runAlarms(args: string[], usage: (problem: string) => number, io: CliIo = process): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'apply' && sub !== 'list')
    return usage(sub === undefined ? 'alarms needs a subcommand: apply or list' : `unknown alarms subcommand "${sub}"`);
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        'sns-topic': { type: 'string' },
        'tokens-per-hour': { type: 'string' },
        'cost-per-day': { type: 'string' },
        throttles: { type: 'string' },
        'server-errors': { type: 'string' },
        prune: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return usage(`alarms ${sub}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const str = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  const tokensPerHour = positive(str('tokens-per-hour'), 'tokens-per-hour', true);
  const costPerDay = positive(str('cost-per-day'), 'cost-per-day', false);
  const throttles = positive(str('throttles'), 'throttles', true);
  const serverErrors = positive(str('server-errors'), 'server-errors', true);
  for (const value of [tokensPerHour, costPerDay, throttles, serverErrors]) if (value instanceof Error) return usage(value.message);
  const snsTopic = str('sns-topic');
  if (snsTopic !== undefined && !SNS_ARN.test(snsTopic))
    return usage('--sns-topic must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)');

  const context = await openUsageContext(io.env ?? process.env);
  try {
    const { settings } = context;
    const prefix = settings.alarmNamePrefix;
    if (sub === 'apply') {
      const plan = planAlarms({
        prefix,
        modelIds: [settings.fastModelId, settings.detailModelId, ...(settings.translationModelId ? [settings.translationModelId] : [])],
        prices: context.usage.prices,
        thresholds: {
          tokensPerHour: (tokensPerHour as number | undefined) ?? settings.usage.alarms.tokensPerHour,
          throttlesPer5Min: (throttles as number | undefined) ?? DEFAULT_THROTTLES_PER_5_MIN,
          serverErrorsPer5Min: (serverErrors as number | undefined) ?? DEFAULT_SERVER_ERRORS_PER_5_MIN,
          costPerDayUsd: (costPerDay as number | undefined) ?? settings.usage.alarms.costPerDayUsd,
        },
        snsTopicArn: snsTopic ?? settings.usage.alarms.snsTopicArn,
      });
      if (values['dry-run']) {
        io.stdout.write(`${JSON.stringify({ region: settings.bedrockRegion, alarms: plan.alarms, notes: plan.notes }, null, 2)}\n`);
        return 0;
      }
      if (!context.access.enabled) return noAws(io, context.access.reason);
      const client = context.clients.cloudwatch(settings.bedrockRegion);
      try {
        const result = await applyAlarms(client, plan, { prefix, prune: values.prune === true });
        if (values.json) io.stdout.write(`${JSON.stringify({ region: settings.bedrockRegion, ...result }, null, 2)}\n`);
        else {
          for (const name of result.created) io.stdout.write(`created  ${name}\n`);
          for (const name of result.updated) io.stdout.write(`updated  ${name}\n`);
          for (const name of result.deleted) io.stdout.write(`deleted  ${name}\n`);
          io.stdout.write(
            `${result.created.length + result.updated.length} alarm(s) under "${prefix}" in ${settings.bedrockRegion}${(snsTopic ?? settings.usage.alarms.snsTopicArn) ? ' notify the SNS topic' : ' have no notification (give --sns-topic ARN)'}.\n`,
          );
        }
        for (const note of result.notes) io.stderr.write(`note: ${note}\n`);
        return 0;
      } catch (error) {
        return awsFailure(io, error, 'cloudwatch:PutMetricAlarm', prefix);
      }
    }
    if (!context.access.enabled) return noAws(io, context.access.reason);
    try {
      const items = await listAlarms(context.clients.cloudwatch(settings.bedrockRegion), prefix);
      if (values.json) io.stdout.write(`${JSON.stringify({ prefix, region: settings.bedrockRegion, items }, null, 2)}\n`);
      else if (items.length === 0)
        io.stdout.write(`No alarms under "${prefix}" in ${settings.bedrockRegion}. Create them with: dualnova alarms apply\n`);
      else io.stdout.write(formatAlarms(items));
      return 0;
    } catch (error) {
      return awsFailure(io, error, 'cloudwatch:DescribeAlarms', prefix);
    }
  } finally {
    await context.close();
  }
}

function noAws(io: CliIo, reason: string): number {
  io.stderr.write(
    `dualnova: CloudWatch alarms need AWS: ${reason}. Give the process AWS credentials (or MODEL_PROVIDER=bedrock on EC2).\n`,
  );
  return 1;
}

function awsFailure(io: CliIo, error: unknown, action: string, prefix: string): number {
  const failure = describeAwsError(error);
  if (failure.kind === 'denied') {
    io.stderr.write(
      `dualnova: access denied: the role needs ${failure.deniedAction ?? action} on alarms named "${prefix}*" (see dualnova iam-policy).\n`,
    );
  } else io.stderr.write(`dualnova: ${failure.summary}\n`);
  return 1;
}
