import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BEDROCK_PRICES_SOURCE } from '../../config/bedrock-prices.js';
import { bedrockMetric, costExpression, tokensExpression } from './bedrock-metrics.js';

export interface AlarmThresholds {
  tokensPerHour: number;
  costPerDayUsd: number;
  throttlesPer5Min: number;
  serverErrorsPer5Min: number;
  alb5xxPer5Min: number;
  targetResponseSeconds: number;
}

export interface AlarmsProps {
  /**
   * Alarm names are `<prefix>-usage-<what>` for the Bedrock usage alarms, which the app may read and
   * manage (its task role is granted `<prefix>-usage*`), and `<prefix>-service-<what>` for the
   * service alarms, which it cannot touch (two of them roll deployments back).
   */
  prefix: string;
  modelIds: string[];
  thresholds: AlarmThresholds;
  loadBalancer: elbv2.ApplicationLoadBalancer;
  targetGroup: elbv2.ApplicationTargetGroup;
  service: ecs.FargateService;
  database: rds.DatabaseCluster | undefined;
  topic: sns.ITopic | undefined;
}

/** The prefix the app's task role may manage alarms under (ALARM_NAME_PREFIX). */
export function usageAlarmPrefix(prefix: string): string {
  return `${prefix}-usage`;
}

function serviceAlarmPrefix(prefix: string): string {
  return `${prefix}-service`;
}

/** Names fixed before the alarms exist, so the ECS service can roll back on them. */
export function deploymentAlarmNames(prefix: string): { alb5xx: string; unhealthyHosts: string } {
  return { alb5xx: `${serviceAlarmPrefix(prefix)}-alb-5xx`, unhealthyHosts: `${serviceAlarmPrefix(prefix)}-unhealthy-hosts` };
}

/**
 * The usage alarms (tokens per hour per model, throttles, server errors, estimated cost per day) and
 * the service alarms (ALB 5xx, unhealthy hosts, target response time, ECS CPU and memory, Aurora
 * capacity). Counts treat missing data as fine: no traffic is not an incident.
 */
export class Alarms extends Construct {
  readonly all: cloudwatch.Alarm[] = [];
  /** By short key (`alb-5xx`, `tokens-<model>`, ...), for tests and the dashboard. */
  readonly byKey = new Map<string, cloudwatch.Alarm>();
  private readonly prefix: string;
  private readonly topic: sns.ITopic | undefined;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.prefix = props.prefix;
    this.topic = props.topic;
    const t = props.thresholds;
    const fiveMinutes = Duration.minutes(5);

    props.modelIds.forEach((modelId, index) => {
      this.add('usage', `tokens-${modelId}`, `Tokens${index}`, {
        metric: tokensExpression(modelId, Duration.hours(1)),
        threshold: t.tokensPerHour,
        evaluationPeriods: 1,
        alarmDescription: `Bedrock ${modelId}: input + output tokens in the last hour (whole account) above ${t.tokensPerHour}.`,
      });
      this.add('usage', `throttles-${modelId}`, `Throttles${index}`, {
        metric: bedrockMetric('InvocationThrottles', modelId, 'Sum', fiveMinutes),
        threshold: t.throttlesPer5Min,
        evaluationPeriods: 1,
        alarmDescription: `Bedrock ${modelId} throttled ${t.throttlesPer5Min}+ calls in 5 minutes: raise the quota or spread the load (cross-region profile).`,
      });
      this.add('usage', `server-errors-${modelId}`, `ServerErrors${index}`, {
        metric: bedrockMetric('InvocationServerErrors', modelId, 'Sum', fiveMinutes),
        threshold: t.serverErrorsPer5Min,
        evaluationPeriods: 1,
        alarmDescription: `Bedrock ${modelId} returned ${t.serverErrorsPer5Min}+ server errors in 5 minutes.`,
      });
    });

    const cost = costExpression(props.modelIds, Duration.days(1));
    if (cost) {
      this.add('usage', 'cost-per-day', 'CostPerDay', {
        metric: cost.expression,
        threshold: t.costPerDayUsd,
        evaluationPeriods: 1,
        alarmDescription: `Estimated Bedrock cost of the configured models over the last 24 hours above ${t.costPerDayUsd} USD (whole account; prices: ${BEDROCK_PRICES_SOURCE}).`,
      });
    }
    const unpriced = cost ? cost.unpriced : props.modelIds;
    if (unpriced.length > 0) {
      Annotations.of(this).addWarningV2(
        'dualnova:unpriced-model',
        `No price for ${unpriced.join(', ')} in infra/config/bedrock-prices.ts: the estimated-cost alarm leaves ${unpriced.length === 1 ? 'it' : 'them'} out.`,
      );
    }

    const names = deploymentAlarmNames(props.prefix);
    const alb = props.loadBalancer.metrics;
    this.add('service', 'alb-5xx', 'Alb5xx', {
      name: names.alb5xx,
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(elb, 0) + FILL(target, 0)',
        usingMetrics: {
          elb: alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: fiveMinutes }),
          target: alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: fiveMinutes }),
        },
        period: fiveMinutes,
        label: 'ALB + target 5xx',
      }),
      threshold: t.alb5xxPer5Min,
      evaluationPeriods: 1,
      alarmDescription: `${t.alb5xxPer5Min}+ HTTP 5xx answers (from the ALB or the tasks) in 5 minutes. Rolls back a deployment in progress.`,
    });
    this.add('service', 'unhealthy-hosts', 'UnhealthyHosts', {
      name: names.unhealthyHosts,
      metric: props.targetGroup.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 2,
      alarmDescription:
        'A task has failed its /readyz health check for 2 minutes (see GET /api/status on it, or the app log). Rolls back a deployment in progress.',
    });
    this.add('service', 'target-response-time', 'TargetResponseTime', {
      metric: props.targetGroup.metrics.targetResponseTime({ statistic: 'p95', period: fiveMinutes }),
      threshold: t.targetResponseSeconds,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      alarmDescription: `p95 time to the first response byte above ${t.targetResponseSeconds} s in 2 of 3 five-minute periods.`,
    });
    this.add('service', 'ecs-cpu', 'EcsCpu', {
      metric: props.service.metricCpuUtilization({ period: fiveMinutes }),
      threshold: 85,
      evaluationPeriods: 3,
      alarmDescription: 'Service CPU above 85 % for 15 minutes: autoscaling is at its maximum or too slow.',
    });
    this.add('service', 'ecs-memory', 'EcsMemory', {
      metric: props.service.metricMemoryUtilization({ period: fiveMinutes }),
      threshold: 85,
      evaluationPeriods: 3,
      alarmDescription: 'Service memory above 85 % for 15 minutes: raise memoryMiB or look for a leak.',
    });
    if (props.database) {
      this.add('service', 'db-capacity', 'DbCapacity', {
        metric: props.database.metric('ACUUtilization', { statistic: 'Average', period: fiveMinutes }),
        threshold: 90,
        evaluationPeriods: 3,
        alarmDescription: 'Aurora at over 90 % of its maximum ACUs for 15 minutes: raise dbMaxAcu.',
      });
    }
  }

  private add(
    kind: 'usage' | 'service',
    key: string,
    id: string,
    options: {
      name?: string;
      metric: cloudwatch.IMetric;
      threshold: number;
      evaluationPeriods: number;
      datapointsToAlarm?: number;
      alarmDescription: string;
    },
  ): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: options.name ?? `${kind === 'usage' ? usageAlarmPrefix(this.prefix) : serviceAlarmPrefix(this.prefix)}-${key}`,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods,
      ...(options.datapointsToAlarm ? { datapointsToAlarm: options.datapointsToAlarm } : {}),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.alarmDescription,
    });
    if (this.topic) {
      alarm.addAlarmAction(new cloudwatchActions.SnsAction(this.topic));
      alarm.addOkAction(new cloudwatchActions.SnsAction(this.topic));
    }
    this.all.push(alarm);
    this.byKey.set(key, alarm);
  }
}
