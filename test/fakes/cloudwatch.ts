/**
 * A wire-level fake of Amazon CloudWatch for the real SDK v3 client, on 127.0.0.1.
 *
 * Protocol (client-cloudwatch ≥ 3.949): AWS JSON 1.0 in query-compatible mode — POST /,
 * `content-type: application/x-amz-json-1.0`, `x-amz-target: GraniteServiceVersion20100801.<Action>`,
 * `x-amzn-query-mode: true`; timestamps are epoch seconds; errors carry `__type` in the body and
 * `x-amzn-query-error: <Code>;<Sender|Receiver>` (the SDK takes the error name from the latter).
 *
 * It keeps a small metric store and alarm table, so the same fake serves the dependency checks and
 * the token-usage reader:
 *   - ListMetrics: filters by Namespace / MetricName / Dimensions, pages with NextToken (`pageSize`).
 *   - GetMetricData: MetricStat queries (Sum, Average, Minimum, Maximum, SampleCount) over stored
 *     datapoints, bucketed by Period; Timestamps newest first, as epoch seconds.
 *   - PutMetricData stores datapoints; DescribeAlarms / PutMetricAlarm / DeleteAlarms manage alarms.
 * Unknown request members are refused (400 ValidationError), as a strict service would.
 *
 *   const cw = await startFakeCloudWatch();
 *   process.env.AWS_ENDPOINT_URL_CLOUDWATCH = cw.url;
 *   cw.fault('DescribeAlarms', 'access-denied');
 *   cw.putDatapoints([{ metricName: 'InputTokenCount', dimensions: { ModelId: 'us.amazon.nova-pro-v1:0' }, value: 120 }]);
 */
import {
  accessDeniedMessage,
  applyScript,
  controlsFrom,
  FaultTable,
  signingScope,
  startHttpFakeServer,
  type FaultControls,
  type HttpReply,
  type NamedFault,
  type RawExchange,
  type RecordedAwsRequest,
} from './aws-http-fake.js';

export interface FakeMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

export interface FakeDatapoint extends Partial<Pick<FakeMetric, 'namespace'>> {
  metricName: string;
  dimensions?: Record<string, string>;
  /** Date, or epoch seconds; default now. */
  timestamp?: Date | number;
  value: number;
}

export interface FakeAlarm {
  AlarmName: string;
  AlarmArn: string;
  StateValue: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  StateReason: string;
  StateUpdatedTimestamp: number;
  AlarmConfigurationUpdatedTimestamp: number;
  /** Everything PutMetricAlarm was given. */
  [key: string]: unknown;
}

export interface FakeCloudWatchOptions {
  /** Metrics ListMetrics knows even without datapoints. Default: the Bedrock metrics of the two default Nova profiles. */
  metrics?: FakeMetric[];
  /** ListMetrics page size (AWS uses 500). */
  pageSize?: number;
  region?: string;
  accountId?: string;
}

export interface FakeCloudWatch extends FaultControls {
  url: string;
  /** Adds datapoints (they also make their metric visible to ListMetrics). */
  putDatapoints(points: FakeDatapoint[]): void;
  /** Every stored alarm, by name. */
  alarms(): Map<string, FakeAlarm>;
  setAlarmState(name: string, state: FakeAlarm['StateValue'], reason?: string): void;
  close(): Promise<void>;
}

export const BEDROCK_METRIC_NAMES = [
  'Invocations',
  'InvocationLatency',
  'InputTokenCount',
  'OutputTokenCount',
  'CacheReadInputTokenCount',
  'CacheWriteInputTokenCount',
  'InvocationThrottles',
  'InvocationClientErrors',
  'InvocationServerErrors',
];

export function bedrockMetrics(modelIds: string[]): FakeMetric[] {
  return modelIds.flatMap((modelId) =>
    BEDROCK_METRIC_NAMES.map((metricName) => ({ namespace: 'AWS/Bedrock', metricName, dimensions: { ModelId: modelId } })),
  );
}

const KNOWN_MEMBERS: Record<string, string[]> = {
  ListMetrics: ['Namespace', 'MetricName', 'Dimensions', 'NextToken', 'RecentlyActive', 'IncludeLinkedAccounts', 'OwningAccount'],
  GetMetricData: ['MetricDataQueries', 'StartTime', 'EndTime', 'NextToken', 'ScanBy', 'MaxDatapoints', 'LabelOptions'],
  DescribeAlarms: [
    'AlarmNames',
    'AlarmNamePrefix',
    'AlarmTypes',
    'ChildrenOfAlarmName',
    'ParentsOfAlarmName',
    'StateValue',
    'ActionPrefix',
    'MaxRecords',
    'NextToken',
  ],
  DeleteAlarms: ['AlarmNames'],
  PutMetricData: ['Namespace', 'MetricData', 'EntityMetricData', 'StrictEntityValidation'],
};

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

interface StoredPoint {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  timestamp: number;
  value: number;
}

interface Dimension {
  Name?: string;
  Value?: string;
}

const dimsOf = (list: Dimension[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).filter((d) => d.Name !== undefined).map((d) => [d.Name as string, d.Value ?? '']));
const sameDims = (a: Record<string, string>, b: Record<string, string>): boolean =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
const metricKey = (m: { namespace: string; metricName: string; dimensions: Record<string, string> }): string =>
  `${m.namespace}\u0000${m.metricName}\u0000${JSON.stringify(Object.entries(m.dimensions).sort())}`;
const epochSeconds = (value: unknown): number =>
  typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) / 1000 : Date.now() / 1000;

function jsonReply(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
}

/** CloudWatch's error shapes: `__type` in the body, the query-compatible code in a header. */
function errorReply(status: number, queryCode: string, type: string, message: string): HttpReply {
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': `${queryCode};${status >= 500 ? 'Receiver' : 'Sender'}`,
    },
    body: JSON.stringify({ __type: type, message }),
  };
}

function renderFault(fault: NamedFault | { status: number; code: string; message?: string }, request: RecordedAwsRequest): HttpReply {
  if (typeof fault === 'object')
    return errorReply(fault.status, fault.code, `com.amazonaws.cloudwatch#${fault.code}`, fault.message ?? fault.code);
  switch (fault) {
    case 'access-denied':
      return errorReply(
        403,
        'AccessDenied',
        'com.amazon.coral.service#AccessDeniedException',
        accessDeniedMessage(`cloudwatch:${request.action}`),
      );
    case 'invalid-credentials':
      return errorReply(
        403,
        'InvalidClientTokenId',
        'com.amazon.coral.service#UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    case 'throttling':
      return errorReply(429, 'Throttling', 'com.amazon.coral.availability#ThrottlingException', 'Rate exceeded');
    case 'server-error':
      return errorReply(500, 'InternalServiceError', 'com.amazonaws.cloudwatch#InternalServiceFault', 'Internal service error');
    case 'not-found':
      return errorReply(404, 'ResourceNotFound', 'com.amazonaws.cloudwatch#ResourceNotFound', 'The named resource does not exist.');
    default:
      return errorReply(500, 'InternalServiceError', 'com.amazonaws.cloudwatch#InternalServiceFault', `unhandled fault ${String(fault)}`);
  }
}

function aggregate(values: number[], stat: string): number {
  // Percentiles (p90, p99.9): nearest rank over the bucket's raw values.
  const percentile = /^p(\d+(?:\.\d+)?)$/.exec(stat);
  if (percentile) {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((Number(percentile[1]) / 100) * sorted.length));
    return sorted[rank - 1] ?? 0;
  }
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'SampleCount':
      return values.length;
    default:
      return values.reduce((a, b) => a + b, 0);
  }
}

export async function startFakeCloudWatch(options: FakeCloudWatchOptions = {}): Promise<FakeCloudWatch> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const pageSize = options.pageSize ?? 500;
  const requests: RecordedAwsRequest[] = [];
  const table = new FaultTable();
  const known = new Map<string, FakeMetric>();
  for (const metric of options.metrics ?? bedrockMetrics(['us.amazon.nova-micro-v1:0', 'us.amazon.nova-pro-v1:0']))
    known.set(metricKey(metric), metric);
  const points: StoredPoint[] = [];
  const alarms = new Map<string, FakeAlarm>();

  const listMetrics = (input: Record<string, unknown>): HttpReply => {
    const wanted = (input.Dimensions as Array<Dimension> | undefined) ?? [];
    const all = [...known.values()].filter(
      (m) =>
        (input.Namespace === undefined || m.namespace === input.Namespace) &&
        (input.MetricName === undefined || m.metricName === input.MetricName) &&
        wanted.every((d) => d.Name !== undefined && d.Name in m.dimensions && (d.Value === undefined || m.dimensions[d.Name] === d.Value)),
    );
    const start = typeof input.NextToken === 'string' ? Number.parseInt(input.NextToken.replace(/^page-/, ''), 10) : 0;
    if (!Number.isFinite(start) || start < 0 || start > all.length)
      return errorReply(
        400,
        'InvalidNextToken',
        'com.amazonaws.cloudwatch#InvalidNextToken',
        'The service returned an error with Error Code InvalidNextToken.',
      );
    const page = all.slice(start, start + pageSize);
    const next = start + pageSize < all.length ? `page-${start + pageSize}` : undefined;
    return jsonReply(200, {
      Metrics: page.map((m) => ({
        Namespace: m.namespace,
        MetricName: m.metricName,
        Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
      })),
      ...(next ? { NextToken: next } : {}),
    });
  };

  const getMetricData = (input: Record<string, unknown>): HttpReply => {
    const start = epochSeconds(input.StartTime);
    const end = epochSeconds(input.EndTime);
    const queries = (input.MetricDataQueries as Array<Record<string, unknown>> | undefined) ?? [];
    if (queries.length === 0)
      return errorReply(400, 'ValidationError', 'com.amazonaws.cloudwatch#ValidationError', 'MetricDataQueries must not be empty');
    const results = queries
      .filter((q) => q.ReturnData !== false)
      .map((q) => {
        const stat = q.MetricStat as
          { Metric?: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] }; Period?: number; Stat?: string } | undefined;
        if (!stat?.Metric) {
          // Metric math is not evaluated by the fake: an empty, complete series.
          return { Id: q.Id, Label: (q.Label as string | undefined) ?? String(q.Id), Timestamps: [], Values: [], StatusCode: 'Complete' };
        }
        const period = stat.Period ?? 60;
        const dims = dimsOf(stat.Metric.Dimensions);
        const matching = points.filter(
          (p) =>
            p.namespace === stat.Metric?.Namespace &&
            p.metricName === stat.Metric.MetricName &&
            sameDims(p.dimensions, dims) &&
            p.timestamp >= start &&
            p.timestamp < end,
        );
        const buckets = new Map<number, number[]>();
        for (const p of matching) {
          const bucket = start + Math.floor((p.timestamp - start) / period) * period;
          buckets.set(bucket, [...(buckets.get(bucket) ?? []), p.value]);
        }
        const times = [...buckets.keys()].sort((a, b) => b - a);
        return {
          Id: q.Id,
          Label: (q.Label as string | undefined) ?? stat.Metric.MetricName,
          Timestamps: times,
          Values: times.map((t) => aggregate(buckets.get(t) ?? [], stat.Stat ?? 'Sum')),
          StatusCode: 'Complete',
        };
      });
    return jsonReply(200, { MetricDataResults: results, Messages: [] });
  };

  const describeAlarms = (input: Record<string, unknown>): HttpReply => {
    const names = input.AlarmNames as string[] | undefined;
    const prefix = input.AlarmNamePrefix as string | undefined;
    if (names && prefix)
      return errorReply(
        400,
        'InvalidParameterCombination',
        'com.amazonaws.cloudwatch#InvalidParameterCombinationException',
        'AlarmNames and AlarmNamePrefix cannot be used together',
      );
    const maxRecords = typeof input.MaxRecords === 'number' ? input.MaxRecords : 50;
    if (maxRecords < 1 || maxRecords > 100)
      return errorReply(
        400,
        'InvalidParameterValue',
        'com.amazonaws.cloudwatch#InvalidParameterValueException',
        'MaxRecords must be between 1 and 100',
      );
    const all = [...alarms.values()]
      .filter(
        (a) =>
          (!names || names.includes(a.AlarmName)) &&
          (!prefix || a.AlarmName.startsWith(prefix)) &&
          (!input.StateValue || a.StateValue === input.StateValue),
      )
      .sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
    const start = typeof input.NextToken === 'string' ? Number.parseInt(input.NextToken, 10) : 0;
    const page = all.slice(start, start + maxRecords);
    const next = start + maxRecords < all.length ? String(start + maxRecords) : undefined;
    return jsonReply(200, { MetricAlarms: page, CompositeAlarms: [], ...(next ? { NextToken: next } : {}) });
  };

  const putMetricAlarm = (input: Record<string, unknown>): HttpReply => {
    const name = input.AlarmName;
    if (typeof name !== 'string' || name === '')
      return errorReply(400, 'ValidationError', 'com.amazonaws.cloudwatch#ValidationError', 'AlarmName is required');
    const now = Date.now() / 1000;
    const previous = alarms.get(name);
    alarms.set(name, {
      ...input,
      AlarmName: name,
      AlarmArn: `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`,
      StateValue: previous?.StateValue ?? 'INSUFFICIENT_DATA',
      StateReason: previous?.StateReason ?? 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: previous?.StateUpdatedTimestamp ?? now,
      AlarmConfigurationUpdatedTimestamp: now,
    });
    return jsonReply(200, {});
  };

  const deleteAlarms = (input: Record<string, unknown>): HttpReply => {
    const names = (input.AlarmNames as string[] | undefined) ?? [];
    const missing = names.filter((n) => !alarms.has(n));
    if (missing.length > 0)
      return errorReply(404, 'ResourceNotFound', 'com.amazonaws.cloudwatch#ResourceNotFound', `Alarms not found: ${missing.join(', ')}`);
    for (const n of names) alarms.delete(n);
    return jsonReply(200, {});
  };

  const store = (point: FakeDatapoint, namespace: string) => {
    const stored: StoredPoint = {
      namespace,
      metricName: point.metricName,
      dimensions: point.dimensions ?? {},
      timestamp:
        point.timestamp === undefined
          ? Date.now() / 1000
          : typeof point.timestamp === 'number'
            ? point.timestamp
            : point.timestamp.getTime() / 1000,
      value: point.value,
    };
    points.push(stored);
    known.set(metricKey(stored), { namespace, metricName: stored.metricName, dimensions: stored.dimensions });
  };

  const putMetricData = (input: Record<string, unknown>): HttpReply => {
    const namespace = input.Namespace;
    if (typeof namespace !== 'string')
      return errorReply(400, 'ValidationError', 'com.amazonaws.cloudwatch#ValidationError', 'Namespace is required');
    for (const datum of (input.MetricData as Array<Record<string, unknown>> | undefined) ?? []) {
      store(
        {
          metricName: String(datum.MetricName),
          dimensions: dimsOf(datum.Dimensions as Dimension[] | undefined),
          value: Number(datum.Value ?? 0),
          ...(datum.Timestamp === undefined ? {} : { timestamp: epochSeconds(datum.Timestamp) }),
        },
        namespace,
      );
    }
    return jsonReply(200, {});
  };

  const handlers: Record<string, (input: Record<string, unknown>) => HttpReply> = {
    ListMetrics: listMetrics,
    GetMetricData: getMetricData,
    DescribeAlarms: describeAlarms,
    PutMetricAlarm: putMetricAlarm,
    DeleteAlarms: deleteAlarms,
    PutMetricData: putMetricData,
  };

  const server = await startHttpFakeServer(async (exchange: RawExchange) => {
    const target = exchange.headers['x-amz-target'] ?? '';
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let body: unknown;
    try {
      body = exchange.rawBody === '' ? {} : JSON.parse(exchange.rawBody);
    } catch {
      body = exchange.rawBody;
    }
    const request: RecordedAwsRequest = {
      action,
      method: exchange.method,
      path: exchange.path,
      headers: exchange.headers,
      body,
      rawBody: exchange.rawBody,
      ...signingScope(exchange.headers),
      time: Date.now(),
    };
    requests.push(request);
    if (exchange.method !== 'POST' || !action || exchange.headers['content-type'] !== 'application/x-amz-json-1.0') {
      return errorReply(
        400,
        'InvalidAction',
        'com.amazonaws.cloudwatch#InvalidAction',
        `expected a JSON 1.0 POST with x-amz-target ${TARGET_PREFIX}<Action>`,
      );
    }
    const scripted = await applyScript(table, request, renderFault, (status, replyBody) => jsonReply(status, replyBody));
    if (scripted) return scripted;
    const handler = handlers[action];
    if (!handler)
      return errorReply(400, 'InvalidAction', 'com.amazonaws.cloudwatch#InvalidAction', `The fake does not implement ${action}`);
    if (typeof body !== 'object' || body === null)
      return errorReply(400, 'SerializationException', 'com.amazonaws.cloudwatch#SerializationException', 'body is not a JSON object');
    const input = body as Record<string, unknown>;
    const allowed = KNOWN_MEMBERS[action];
    const unknown = allowed ? Object.keys(input).filter((key) => !allowed.includes(key)) : [];
    if (unknown.length > 0)
      return errorReply(
        400,
        'ValidationError',
        'com.amazonaws.cloudwatch#ValidationError',
        `Unknown parameter(s) for ${action}: ${unknown.join(', ')}`,
      );
    return handler(input);
  });

  return {
    url: server.url,
    ...controlsFrom(table, requests, server.hanging),
    putDatapoints(list) {
      for (const point of list) store(point, point.namespace ?? 'AWS/Bedrock');
    },
    alarms: () => alarms,
    setAlarmState(name, state, reason = `set by test to ${state}`) {
      const alarm = alarms.get(name);
      if (!alarm) throw new Error(`no alarm ${name}`);
      alarms.set(name, { ...alarm, StateValue: state, StateReason: reason, StateUpdatedTimestamp: Date.now() / 1000 });
    },
    close: () => server.close(),
  };
}
