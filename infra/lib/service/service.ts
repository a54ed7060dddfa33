import { Annotations, Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const CONTAINER_NAME = 'app';
export const CONTAINER_PORT = 8080;
/** After SIGTERM the app lets streaming answers finish this long (SHUTDOWN_GRACE_SECONDS) ... */
export const SHUTDOWN_GRACE_SECONDS = 25;
/** ... and ECS waits a little longer before SIGKILL. */
export const STOP_TIMEOUT = Duration.seconds(SHUTDOWN_GRACE_SECONDS + 5);
/**
 * The only writable paths of the container (task-local volumes). The Dockerfile declares each as a
 * VOLUME so that Fargate creates them with the image's owner and mode (node-owned /app/data, 1777 /tmp)
 * instead of root 0755.
 */
export const WRITABLE_PATHS = { data: '/app/data', tmp: '/tmp' } as const;
/** Where the Dockerfile puts the Amazon RDS certificate authorities. */
export const RDS_CA_BUNDLE = '/etc/ssl/certs/rds-global-bundle.pem';

export interface ServiceProps {
  envName: string;
  vpc: ec2.IVpc;
  subnets: ec2.SubnetSelection;
  /** Repository root: the Docker build context (filtered by .dockerignore). */
  imageDirectory: string;
  cpu: number;
  memoryMiB: number;
  desiredCount: number;
  maxCount: number;
  cpuTargetPercent: number;
  requestsPerTarget: number;
  logRetention: logs.RetentionDays;
  retainLogs: boolean;
  enableExecuteCommand: boolean;
  taskRole: iam.IRole;
  /** Plain settings (never secrets). */
  environment: Record<string, string>;
  /** Values ECS fetches from Secrets Manager at task start (the execution role reads them, not the app). */
  secrets: Record<string, ecs.Secret>;
  targetGroup: elbv2.ApplicationTargetGroup;
  loadBalancerSecurityGroup: ec2.ISecurityGroup;
  /** Alarms whose ALARM state rolls a running deployment back. */
  deploymentAlarmNames: string[];
}

/**
 * The ECS cluster (Container Insights on) and the Fargate service on ARM64 (Graviton), running the
 * image built from the repository's Dockerfile as a CDK asset: immutable, content-addressed, nothing
 * fetched at start. Rolling deployments keep full capacity, and roll back automatically when new
 * tasks fail to become healthy (circuit breaker) or the deployment alarms fire.
 */
export class AppService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/dualnova/${props.envName}/app`,
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      taskRole: props.taskRole,
      // With the root filesystem read-only, these two task-local volumes are the only writable paths.
      volumes: Object.keys(WRITABLE_PATHS).map((name) => ({ name })),
    });

    const image = ecs.ContainerImage.fromDockerImageAsset(
      new ecrAssets.DockerImageAsset(this, 'Image', {
        directory: props.imageDirectory,
        file: 'Dockerfile',
        platform: ecrAssets.Platform.LINUX_ARM64,
        // The repository's .dockerignore is an allow-list and is applied here too, so the asset hash
        // (and a rebuild) depends only on what the image is built from.
        exclude: ['infra/cdk.out', 'cdk.out'],
      }),
    );

    this.container = this.taskDefinition.addContainer(CONTAINER_NAME, {
      image,
      essential: true,
      portMappings: [{ containerPort: CONTAINER_PORT, name: 'http', appProtocol: ecs.AppProtocol.http }],
      environment: props.environment,
      secrets: props.secrets,
      // ECS Exec's agent must write inside the container, which AWS does not support on a read-only root
      // filesystem; the filesystem is read-only whenever Exec is off (the default).
      readonlyRootFilesystem: !props.enableExecuteCommand,
      stopTimeout: STOP_TIMEOUT,
      // The image's HEALTHCHECK, restated here because ECS ignores Dockerfile health checks.
      healthCheck: {
        command: ['CMD', 'node', '-e', HEALTH_PROBE],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      // An init process reaps zombies and forwards SIGTERM to node.
      linuxParameters: new ecs.LinuxParameters(this, 'Linux', { initProcessEnabled: true }),
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: 'app',
        // A slow log pipe must never stall streaming answers; a 25 MiB buffer absorbs bursts.
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        maxBufferSize: Size.mebibytes(25),
      }),
    });
    this.container.addMountPoints(
      ...Object.entries(WRITABLE_PATHS).map(([sourceVolume, containerPath]) => ({ containerPath, sourceVolume, readOnly: false })),
    );
    if (props.enableExecuteCommand) {
      Annotations.of(this).addWarningV2(
        'dualnova:execute-command',
        'enableExecuteCommand=true: the task role gains the SSM session actions and the root filesystem is writable. Deploy again without it when done.',
      );
      Validations.of(props.taskRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ECS Exec (enableExecuteCommand=true, a temporary debugging switch): the ssmmessages channel actions have no resource-level permissions. The catalogue policy itself is unaffected.',
      });
    }
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The environment holds only non-secret settings (model ids, region, ARNs, modes); every secret value reaches the container through ECS secrets from Secrets Manager.',
    });

    Validations.of(this.taskDefinition.obtainExecutionRole()).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken has no resource-level permissions; image pulls themselves are limited to the asset repository, logs to the app log group, secrets to the database secret.',
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'dualnova tasks: HTTP from the ALB only; out: HTTPS to AWS APIs (and PostgreSQL to the database)',
      allowAllOutbound: false,
    });
    // Bedrock, CloudWatch, Secrets Manager, STS and ECR are HTTPS endpoints (through NAT or the S3 gateway endpoint).
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs');
    this.securityGroup.connections.allowFrom(props.loadBalancerSecurityGroup, ec2.Port.tcp(CONTAINER_PORT), 'HTTP from the ALB');

    const autoscaling = props.maxCount > props.desiredCount;
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      // With autoscaling, DesiredCount stays out of the template so a deployment never resets a scaled-out
      // service; at creation the scaler raises the count to its minimum (desiredCount) within a minute.
      ...(autoscaling ? {} : { desiredCount: props.desiredCount }),
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      ...(props.deploymentAlarmNames.length > 0
        ? { deploymentAlarms: { alarmNames: props.deploymentAlarmNames, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM } }
        : {}),
      healthCheckGracePeriod: Duration.seconds(60),
      securityGroups: [this.securityGroup],
      vpcSubnets: props.subnets,
      assignPublicIp: false,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      enableExecuteCommand: props.enableExecuteCommand,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
    });
    props.targetGroup.addTarget(this.service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort: CONTAINER_PORT }));

    if (autoscaling) {
      const scaling = this.service.autoScaleTaskCount({ minCapacity: props.desiredCount, maxCapacity: props.maxCount });
      scaling.scaleOnCpuUtilization('Cpu', {
        targetUtilizationPercent: props.cpuTargetPercent,
        scaleOutCooldown: Duration.seconds(60),
        scaleInCooldown: Duration.minutes(5),
      });
      scaling.scaleOnRequestCount('Requests', {
        requestsPerTarget: props.requestsPerTarget,
        targetGroup: props.targetGroup,
        scaleOutCooldown: Duration.seconds(60),
        scaleInCooldown: Duration.minutes(5),
      });
    }
  }
}

/** GET /healthz on the container's own port with Node's fetch (the slim image has no curl). */
export const HEALTH_PROBE =
  "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))";
