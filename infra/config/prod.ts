import type { DeployConfigInput } from './schema.js';

/**
 * prod: two tasks in two AZs scaling to six, a NAT gateway per AZ, an Aurora writer plus a reader
 * for failover, deletion protection, WAF, 90-day logs. Set certificateArn (and domainName) for HTTPS.
 */
export const prod: Omit<DeployConfigInput, 'region'> & { region?: string } = {
  envName: 'prod',
  natGateways: 2,
  flowLogTraffic: 'ALL',
  cpu: 1024,
  memoryMiB: 2048,
  desiredCount: 2,
  maxCount: 6,
  database: true,
  dbMinAcu: 0.5,
  dbMaxAcu: 8,
  dbReaders: 1,
  dbBackupRetentionDays: 14,
  dbDeletionProtection: true,
  logRetentionDays: 90,
  retainOnDelete: true,
  waf: true,
  alarmTokensPerHour: 2_000_000,
  alarmCostPerDayUsd: 50,
};
