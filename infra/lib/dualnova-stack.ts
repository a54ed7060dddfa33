import { CfnOutput, Duration, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { APP_METRICS } from '../config/metrics.js';
import type { DeployConfig } from '../config/schema.js';
import { partitionOf } from '../../src/aws/iam-policy.js';
import { Alarms, deploymentAlarmNames, usageAlarmPrefix } from './alarms/alarms.js';
import { Notifications } from './alarms/notifications.js';
import { ADMIN_GROUP, CognitoLogin } from './auth/cognito-login.js';
import { Dashboard } from './dashboard/dashboard.js';
import { Database } from './database/database.js';
import { LoadBalancer } from './ingress/load-balancer.js';
import { LogBucket } from './logging/log-bucket.js';
import { Network } from './network/network.js';
import { AppService, CONTAINER_PORT, RDS_CA_BUNDLE, SHUTDOWN_GRACE_SECONDS, WRITABLE_PATHS } from './service/service.js';
import { TaskRole, type CatalogueInput } from './service/task-role.js';
import { SettingsSecret } from './settings/settings-secret.js';
import { WebAcl } from './waf/web-acl.js';

export interface DualnovaStackProps extends Omit<StackProps, 'env'> {
  config: DeployConfig;
  /** Docker build context holding the Dockerfile (the repository root). */
  imageDirectory: string;
}

/**
 * dualnova on AWS: VPC → ALB (HTTPS, optional Cognito login, WAF, allow-list) → ECS Fargate (ARM64)
 * → Aurora Serverless v2 PostgreSQL, with the app's IAM catalogue as the task role, alarms, a
 * dashboard and an optional alarm topic. See docs/deploy.md.
 */
export class DualnovaStack extends Stack {
  readonly config: DeployConfig;
  /** The input the task role's policy was generated from (for `dualnova iam-policy` comparisons and tests). */
  readonly catalogueInput: CatalogueInput;
  readonly taskRole: TaskRole;
  readonly loadBalancer: LoadBalancer;
  readonly app: AppService;
  readonly alarms: Alarms;
  readonly database: Database | undefined;
  readonly settings: SettingsSecret;

  constructor(scope: Construct, id: string, props: DualnovaStackProps) {
    const { config } = props;
    super(scope, id, {
      ...props,
      env: { account: config.account, region: config.region },
      description: `dualnova (${config.envName}): relay answers from Amazon Bedrock Nova on ECS Fargate`,
    });
    this.config = config;
    Tags.of(this).add('app', 'dualnova');
    Tags.of(this).add('environment', config.envName);

    const alarmPrefix = config.alarmNamePrefix ?? `dualnova-${config.envName}`;
    // The app manages (and shows) only the usage alarms; the service alarms are out of its reach.
    const appAlarmPrefix = usageAlarmPrefix(alarmPrefix);
    const bedrockRegion = config.bedrockRegion ?? config.region;
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    const logBucket = new LogBucket(this, 'LogBucket', { retentionDays: Math.max(config.logRetentionDays, 30) });
    const network = new Network(this, 'Network', {
      vpcId: config.vpcId,
      cidr: config.vpcCidr,
      maxAzs: config.maxAzs,
      natGateways: config.natGateways,
      flowLogTraffic: config.flowLogTraffic,
      logBucket: logBucket.bucket,
    });
    this.settings = new SettingsSecret(this, 'Settings', {
      envName: config.envName,
      existingSecretArn: config.settingsSecretArn,
      retain: config.retainOnDelete,
      partition: partitionOf(config.region),
    });

    this.database = config.database
      ? new Database(this, 'Database', {
          envName: config.envName,
          vpc: network.vpc,
          subnets: network.databaseSubnets,
          postgresVersion: config.postgresVersion,
          minAcu: config.dbMinAcu,
          maxAcu: config.dbMaxAcu,
          readers: config.dbReaders,
          backupRetentionDays: config.dbBackupRetentionDays,
          deletionProtection: config.dbDeletionProtection,
          logRetention,
        })
      : undefined;

    const login =
      config.cognito && config.domainName && config.cognitoDomainPrefix
        ? new CognitoLogin(this, 'Login', {
            envName: config.envName,
            domainName: config.domainName,
            domainPrefix: config.cognitoDomainPrefix,
            sessionHours: config.cognitoSessionHours,
            retain: config.retainOnDelete,
          })
        : undefined;

    this.loadBalancer = new LoadBalancer(this, 'Ingress', {
      vpc: network.vpc,
      internetFacing: config.internetFacing,
      certificateArn: config.certificateArn,
      allowedCidrs: config.allowedCidrs,
      idleTimeout: Duration.seconds(config.albIdleTimeoutSeconds),
      logBucket: logBucket.bucket,
      deletionProtection: config.retainOnDelete,
      containerPort: CONTAINER_PORT,
      login,
    });
    if (config.waf) {
      new WebAcl(this, 'Waf', {
        envName: config.envName,
        loadBalancerArn: this.loadBalancer.alb.loadBalancerArn,
        rateLimitPer5Min: config.wafRateLimitPer5Min,
      });
    }

    this.catalogueInput = {
      region: bedrockRegion,
      accountId: this.account,
      fastModelId: config.fastModelId,
      detailModelId: config.detailModelId,
      ...(config.knowledgeBaseId ? { knowledgeBaseId: config.knowledgeBaseId } : {}),
      settingsSecretArn: this.settings.arnForPolicy,
      // No metricsNamespace: the app publishes metrics as EMF log lines, which needs no cloudwatch:PutMetricData.
      alarmNamePrefix: appAlarmPrefix,
    };
    this.taskRole = new TaskRole(this, 'TaskRole', { catalogue: this.catalogueInput });

    const environment: Record<string, string> = {
      NODE_ENV: 'production',
      HOST: '0.0.0.0',
      PORT: String(CONTAINER_PORT),
      DATA_DIR: WRITABLE_PATHS.data,
      MODEL_PROVIDER: 'bedrock',
      FAST_MODEL_ID: config.fastModelId,
      DETAIL_MODEL_ID: config.detailModelId,
      BEDROCK_REGION: bedrockRegion,
      STAFF_LANGUAGE: config.staffLanguage,
      LOG_LEVEL: config.logLevel,
      DUALNOVA_SETTINGS_SECRET: this.settings.secret.secretArn,
      // Login: the ALB authenticates with Cognito and the app verifies its signed x-amzn-oidc-data header
      // (signer = this ALB), else the app requires bearer API tokens. ALLOW_ANONYMOUS is deliberately
      // never set here: the app refuses AUTH_MODE=none on a non-loopback address unless ALLOW_ANONYMOUS=true.
      AUTH_MODE: login ? 'alb-oidc' : 'token',
      ...(login ? { ALB_ARN: this.loadBalancer.alb.loadBalancerArn, ADMIN_GROUPS: ADMIN_GROUP } : {}),
      ...(login && config.adminEmails.length > 0 ? { ADMIN_EMAILS: config.adminEmails.join(',') } : {}),
      // Exactly one proxy (the ALB) sits in front: per-IP limits use the address it appends to X-Forwarded-For.
      TRUST_PROXY: '1',
      SHUTDOWN_GRACE_SECONDS: String(SHUTDOWN_GRACE_SECONDS),
      ALARM_NAME_PREFIX: appAlarmPrefix,
      METRICS_NAMESPACE: APP_METRICS.namespace,
      ...(config.knowledgeBaseId ? { KNOWLEDGE_BASE_ID: config.knowledgeBaseId } : {}),
      // The cluster refuses plain connections (rds.force_ssl); the image carries the RDS CA bundle, so the
      // server certificate and host name are verified.
      ...(this.database ? { DB_SSL: 'true', DB_SSL_CA_FILE: RDS_CA_BUNDLE } : {}),
    };
    const secrets: Record<string, ecs.Secret> = this.database
      ? {
          DB_HOST: ecs.Secret.fromSecretsManager(this.database.secret, 'host'),
          DB_PORT: ecs.Secret.fromSecretsManager(this.database.secret, 'port'),
          DB_NAME: ecs.Secret.fromSecretsManager(this.database.secret, 'dbname'),
          DB_USER: ecs.Secret.fromSecretsManager(this.database.secret, 'username'),
          DB_PASSWORD: ecs.Secret.fromSecretsManager(this.database.secret, 'password'),
        }
      : {};

    const deploymentAlarms = deploymentAlarmNames(alarmPrefix);
    this.app = new AppService(this, 'App', {
      envName: config.envName,
      vpc: network.vpc,
      subnets: network.serviceSubnets,
      imageDirectory: props.imageDirectory,
      cpu: config.cpu,
      memoryMiB: config.memoryMiB,
      desiredCount: config.desiredCount,
      maxCount: config.maxCount,
      cpuTargetPercent: config.cpuTargetPercent,
      requestsPerTarget: config.requestsPerTarget,
      logRetention,
      retainLogs: config.retainOnDelete,
      enableExecuteCommand: config.enableExecuteCommand,
      taskRole: this.taskRole.role,
      environment,
      secrets,
      targetGroup: this.loadBalancer.targetGroup,
      loadBalancerSecurityGroup: this.loadBalancer.securityGroup,
      deploymentAlarmNames: config.rollbackOnAlarm ? [deploymentAlarms.alb5xx, deploymentAlarms.unhealthyHosts] : [],
    });
    this.database?.cluster.connections.allowDefaultPortFrom(this.app.securityGroup, 'PostgreSQL from the dualnova tasks');

    const notifications = config.alarmEmail
      ? new Notifications(this, 'Notifications', { envName: config.envName, email: config.alarmEmail })
      : undefined;
    const modelIds = [...new Set([config.fastModelId, config.detailModelId])];
    this.alarms = new Alarms(this, 'Alarms', {
      prefix: alarmPrefix,
      modelIds,
      thresholds: {
        tokensPerHour: config.alarmTokensPerHour,
        costPerDayUsd: config.alarmCostPerDayUsd,
        throttlesPer5Min: config.alarmThrottlesPer5Min,
        serverErrorsPer5Min: config.alarmServerErrorsPer5Min,
        alb5xxPer5Min: config.alarmAlb5xxPer5Min,
        targetResponseSeconds: config.alarmTargetResponseSeconds,
      },
      loadBalancer: this.loadBalancer.alb,
      targetGroup: this.loadBalancer.targetGroup,
      service: this.app.service,
      database: this.database?.cluster,
      topic: notifications?.topic,
    });
    if (config.rollbackOnAlarm) {
      // The service names these alarms for rollback; they must exist before it does.
      for (const key of ['alb-5xx', 'unhealthy-hosts']) {
        const alarm = this.alarms.byKey.get(key);
        if (alarm) this.app.service.node.addDependency(alarm);
      }
    }

    const dashboard = new Dashboard(this, 'Dashboard', {
      name: `dualnova-${config.envName}`,
      modelIds,
      loadBalancer: this.loadBalancer.alb,
      targetGroup: this.loadBalancer.targetGroup,
      service: this.app.service,
      database: this.database?.cluster,
      alarms: this.alarms.all,
    });

    const url = this.loadBalancer.url(config.domainName);
    new CfnOutput(this, 'Url', { value: url, description: 'Open this (point domainName at LoadBalancerDnsName first, if set)' });
    new CfnOutput(this, 'LoadBalancerDnsName', {
      value: this.loadBalancer.alb.loadBalancerDnsName,
      description: 'CNAME / alias target for domainName',
    });
    new CfnOutput(this, 'ClusterName', { value: this.app.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.app.service.serviceName });
    new CfnOutput(this, 'LogGroupName', { value: this.app.logGroup.logGroupName });
    new CfnOutput(this, 'SettingsSecretArn', { value: this.settings.secret.secretArn, description: 'Put the app settings JSON here' });
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboard.dashboardName}`,
    });
    new CfnOutput(this, 'AlarmNamePrefix', {
      value: alarmPrefix,
      description: `usage alarms: ${appAlarmPrefix}-*, service alarms: ${alarmPrefix}-service-*`,
    });
    if (this.database) new CfnOutput(this, 'DatabaseSecretArn', { value: this.database.secret.secretArn });
    if (login)
      new CfnOutput(this, 'UserPoolId', { value: login.userPool.userPoolId, description: 'Create staff users here (admin-create-user)' });
    if (notifications) new CfnOutput(this, 'AlarmTopicArn', { value: notifications.topic.topicArn });
  }
}
