import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface DatabaseProps {
  envName: string;
  vpc: ec2.IVpc;
  subnets: ec2.SubnetSelection;
  postgresVersion: string;
  minAcu: number;
  maxAcu: number;
  readers: number;
  backupRetentionDays: number;
  deletionProtection: boolean;
  logRetention: logs.RetentionDays;
}

export const DATABASE_NAME = 'dualnova';
const DATABASE_USER = 'dualnova';

/**
 * Aurora Serverless v2 PostgreSQL shared by every task. The generated credentials live in Secrets
 * Manager; ECS injects host, port, name, user and password as separate secrets (DB_*), and the app
 * composes its connection from them. TLS is enforced by the cluster (rds.force_ssl).
 */
export class Database extends Construct {
  readonly cluster: rds.DatabaseCluster;
  readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const clusterIdentifier = `dualnova-${props.envName}`;
    const major = props.postgresVersion.split('.')[0] ?? '16';
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.of(props.postgresVersion, major) });

    // Created here (not by the cluster) so that its retention is set without a log-retention Lambda.
    const postgresLog = new logs.LogGroup(this, 'PostgresLog', {
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // The database never opens connections; ingress is added for the service only.
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'dualnova Aurora PostgreSQL',
      allowAllOutbound: false,
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      clusterIdentifier,
      engine,
      credentials: rds.Credentials.fromGeneratedSecret(DATABASE_USER, { secretName: `dualnova/${props.envName}/database` }),
      defaultDatabaseName: DATABASE_NAME,
      writer: rds.ClusterInstance.serverlessV2('Writer', {
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        enablePerformanceInsights: true,
      }),
      readers: Array.from({ length: props.readers }, (_, index) =>
        rds.ClusterInstance.serverlessV2(`Reader${index + 1}`, {
          publiclyAccessible: false,
          scaleWithWriter: true,
          autoMinorVersionUpgrade: true,
          enablePerformanceInsights: true,
        }),
      ),
      serverlessV2MinCapacity: props.minAcu,
      serverlessV2MaxCapacity: props.maxAcu,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [securityGroup],
      storageEncrypted: true,
      iamAuthentication: true,
      parameterGroup: new rds.ParameterGroup(this, 'Parameters', {
        engine,
        description: 'dualnova: TLS only, slow statements logged',
        parameters: { 'rds.force_ssl': '1', log_min_duration_statement: '1000' },
      }),
      backup: { retention: Duration.days(props.backupRetentionDays), preferredWindow: '17:00-18:00' },
      preferredMaintenanceWindow: 'sun:18:30-sun:19:30',
      cloudwatchLogsExports: ['postgresql'],
      // Performance Insights (7 days, free tier) is enabled per instance above.
      deletionProtection: props.deletionProtection,
      // Deleting the stack (or replacing the cluster) always leaves a final snapshot.
      removalPolicy: RemovalPolicy.SNAPSHOT,
      copyTagsToSnapshot: true,
    });
    this.cluster.node.addDependency(postgresLog);
    if (!this.cluster.secret) throw new Error('the database cluster has no generated secret');
    this.secret = this.cluster.secret;

    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'The cluster is reachable only from the service security group in isolated subnets; a non-default port adds no protection and breaks standard PostgreSQL tooling.',
    });
    if (!props.deletionProtection) {
      Validations.of(this.cluster).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason:
          'Deletion protection is off in this environment (dbDeletionProtection=false) so that it can be torn down; a final snapshot is still taken on delete. prod turns it on.',
      });
    }
    // Acknowledged on the cluster, the generated secret's parent (cluster.secret is its attachment).
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The tasks receive the password as an ECS secret at start; automatic rotation would invalidate it for new connections of running tasks. Rotation is an operator step followed by a rolling redeploy (docs/deploy.md, "Rotating secrets").',
    });
  }
}
