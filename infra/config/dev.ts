import type { DeployConfigInput } from './schema.js';

/**
 * dev: one small task, a database that pauses when idle, one NAT gateway, short log retention,
 * everything easy to tear down. Override any key with `-c key=value`.
 */
export const dev: Omit<DeployConfigInput, 'region'> & { region?: string } = {
  envName: 'dev',
  natGateways: 1,
  flowLogTraffic: 'REJECT',
  cpu: 512,
  memoryMiB: 1024,
  desiredCount: 1,
  maxCount: 2,
  database: true,
  dbMinAcu: 0,
  dbMaxAcu: 2,
  dbReaders: 0,
  dbBackupRetentionDays: 1,
  dbDeletionProtection: false,
  logRetentionDays: 14,
  waf: false,
  alarmTokensPerHour: 500_000,
  alarmCostPerDayUsd: 5,
};
