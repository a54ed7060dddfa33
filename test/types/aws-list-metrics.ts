/**
 * Type-level test, checked by `tsc --noEmit -p tsconfig.json` (part of `npm test`), never run.
 *
 * The old system crashed at start-up because a health check called ListMetrics with MaxRecords,
 * a parameter that API does not have. With typed SDK v3 inputs that is a compile error; if it ever
 * compiles again (a looser type, an `any` cast in the probe), the @ts-expect-error below becomes an
 * unused directive and tsc fails.
 */
import { DescribeAlarmsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';

export const listMetricsWithoutPaging = new ListMetricsCommand({ Namespace: 'AWS/Bedrock' });

// @ts-expect-error MaxRecords is not a ListMetrics parameter
export const theOldCrash = new ListMetricsCommand({ Namespace: 'AWS/Bedrock', MaxRecords: 1 });

// DescribeAlarms does have MaxRecords: the alarms check uses it to read at most one alarm.
export const oneAlarm = new DescribeAlarmsCommand({ AlarmNamePrefix: 'dualnova-', MaxRecords: 1 });
