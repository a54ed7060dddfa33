import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { APP_METRICS } from '../../config/metrics.js';
import { bedrockMetric, costExpression } from '../alarms/bedrock-metrics.js';

export interface DashboardProps {
  name: string;
  modelIds: string[];
  loadBalancer: elbv2.ApplicationLoadBalancer;
  targetGroup: elbv2.ApplicationTargetGroup;
  service: ecs.FargateService;
  database: rds.DatabaseCluster | undefined;
  alarms: cloudwatch.IAlarm[];
}

const FIVE_MINUTES = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/** One search over the app's EMF metrics: every Model × Purpose series of one metric name. */
function appSearch(metricName: string, statistic: string, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${APP_METRICS.namespace},${APP_METRICS.dimensions.join(',')}} MetricName="${metricName}"', '${statistic}', ${FIVE_MINUTES.toSeconds()})`,
    usingMetrics: {},
    period: FIVE_MINUTES,
    label,
  });
}

/**
 * One dashboard: Bedrock tokens, latency and errors per model (whole account), the app's own
 * per-purpose usage (EMF, namespace Dualnova), ALB latency and errors, the service and the database.
 */
export class Dashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const models = props.modelIds;
    const d = (this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.name,
      defaultInterval: Duration.hours(6),
    }));
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = [], width = WIDTH) =>
      new cloudwatch.GraphWidget({ title, left, right, width, height: HEIGHT, period: FIVE_MINUTES });

    d.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 3 }));

    d.addWidgets(
      new cloudwatch.TextWidget({ markdown: '## Amazon Bedrock (whole account, per invoked model id)', width: 24, height: 1 }),
      graph(
        'Tokens per 5 min',
        models.flatMap((m) => [
          bedrockMetric('InputTokenCount', m, 'Sum', FIVE_MINUTES),
          bedrockMetric('OutputTokenCount', m, 'Sum', FIVE_MINUTES),
        ]),
        models.map((m) => bedrockMetric('CacheReadInputTokenCount', m, 'Sum', FIVE_MINUTES)),
      ),
      graph(
        'Invocation latency (ms)',
        models.flatMap((m) => [
          bedrockMetric('InvocationLatency', m, 'p50', FIVE_MINUTES),
          bedrockMetric('InvocationLatency', m, 'p90', FIVE_MINUTES),
        ]),
      ),
      graph(
        'Invocations, throttles, errors',
        models.map((m) => bedrockMetric('Invocations', m, 'Sum', FIVE_MINUTES)),
        models.flatMap((m) => [
          bedrockMetric('InvocationThrottles', m, 'Sum', FIVE_MINUTES),
          bedrockMetric('InvocationClientErrors', m, 'Sum', FIVE_MINUTES),
          bedrockMetric('InvocationServerErrors', m, 'Sum', FIVE_MINUTES),
        ]),
      ),
    );
    const hourlyCost = costExpression(models, Duration.hours(1));
    d.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `## dualnova usage by purpose (EMF metrics, namespace \`${APP_METRICS.namespace}\`)`,
        width: 24,
        height: 1,
      }),
      graph(
        'Tokens by model and purpose',
        [appSearch(APP_METRICS.names.inputTokens, 'Sum', 'input'), appSearch(APP_METRICS.names.outputTokens, 'Sum', 'output')],
        [appSearch(APP_METRICS.names.cacheReadInputTokens, 'Sum', 'cache read')],
      ),
      graph(
        'Cost (USD) by model and purpose',
        [appSearch(APP_METRICS.names.costUsd, 'Sum', 'USD')],
        hourlyCost ? [hourlyCost.expression.with({ label: 'Bedrock estimate (account, per hour)', period: Duration.hours(1) })] : [],
      ),
      graph('Model latency by purpose (p90, ms)', [appSearch(APP_METRICS.names.latencyMs, 'p90', 'p90')]),
    );

    const alb = props.loadBalancer.metrics;
    const tg = props.targetGroup.metrics;
    d.addWidgets(
      new cloudwatch.TextWidget({ markdown: '## Load balancer', width: 24, height: 1 }),
      graph(
        'Requests and errors',
        [alb.requestCount({ period: FIVE_MINUTES })],
        [
          alb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: FIVE_MINUTES }),
          alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: FIVE_MINUTES }),
          alb.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT, { period: FIVE_MINUTES }),
        ],
      ),
      graph('Target response time (s)', [
        tg.targetResponseTime({ statistic: 'p50', period: FIVE_MINUTES }),
        tg.targetResponseTime({ statistic: 'p95', period: FIVE_MINUTES }),
        tg.targetResponseTime({ statistic: 'p99', period: FIVE_MINUTES }),
      ]),
      graph(
        'Targets',
        [
          tg.healthyHostCount({ statistic: 'Minimum', period: Duration.minutes(1) }),
          tg.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
        ],
        [alb.activeConnectionCount({ period: FIVE_MINUTES })],
      ),
    );

    const serviceWidgets: cloudwatch.IWidget[] = [
      graph(
        'Service CPU and memory (%)',
        [props.service.metricCpuUtilization({ period: FIVE_MINUTES }), props.service.metricMemoryUtilization({ period: FIVE_MINUTES })],
        [],
        props.database ? WIDTH : 12,
      ),
      graph(
        'Running tasks',
        [
          new cloudwatch.Metric({
            namespace: 'ECS/ContainerInsights',
            metricName: 'RunningTaskCount',
            dimensionsMap: { ClusterName: props.service.cluster.clusterName, ServiceName: props.service.serviceName },
            statistic: 'Average',
            period: Duration.minutes(1),
          }),
        ],
        [],
        props.database ? WIDTH : 12,
      ),
    ];
    if (props.database) {
      serviceWidgets.push(
        graph(
          'Aurora',
          [props.database.metric('ServerlessDatabaseCapacity', { statistic: 'Average', period: FIVE_MINUTES })],
          [props.database.metricDatabaseConnections({ period: FIVE_MINUTES })],
        ),
      );
    }
    d.addWidgets(new cloudwatch.TextWidget({ markdown: '## Service', width: 24, height: 1 }), ...serviceWidgets);
  }
}
