import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamPolicyStatements } from '../../src/aws/iam-policy.js';
import {
  flatten,
  normalizeStatement,
  onlyResource,
  onlyResourceEntry,
  removeSynthOutput,
  resourcesOfType,
  synth,
  type CfnResource,
  type CfnTemplate,
  type Synthesized,
} from './synth.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f3c8a52-1b2d-4e5f-8a9b-0c1d2e3f4a5b';
const CIDRS = ['203.0.113.0/24', '198.51.100.7/32'];

/** dev defaults: no certificate, no allow-list, database on (pauses when idle). */
const DEV = { env: 'dev' };
/** prod with everything on: HTTPS, allow-list, Cognito login, alarm e-mail, a knowledge base, a fixed account. */
const PROD = {
  env: 'prod',
  account: '123456789012',
  certificateArn: CERT,
  domainName: 'support.example.com',
  allowedCidrs: CIDRS.join(','),
  cognito: 'true',
  cognitoDomainPrefix: 'dualnova-prod-example',
  alarmEmail: 'ops@example.com',
  knowledgeBaseId: 'ABCDEFGHIJ',
};
/** One task without a database (SQLite on the task's disk). */
const SINGLE = { env: 'dev', database: 'false', desiredCount: '1', maxCount: '1' };

let dev: Synthesized;
let prod: Synthesized;
let single: Synthesized;

beforeAll(() => {
  dev = synth(DEV);
  prod = synth(PROD);
  single = synth(SINGLE);
});
afterAll(removeSynthOutput);

function taskDefinition(json: CfnTemplate): CfnResource {
  return onlyResource(json, 'AWS::ECS::TaskDefinition');
}

function container(json: CfnTemplate): Record<string, unknown> {
  const definitions = taskDefinition(json).Properties?.ContainerDefinitions as Record<string, unknown>[];
  expect(definitions).toHaveLength(1);
  return definitions[0]!;
}

function environment(json: CfnTemplate): Record<string, unknown> {
  return Object.fromEntries((container(json).Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));
}

/** Logical id of the task role, from the task definition's TaskRoleArn. */
function taskRoleId(json: CfnTemplate): string {
  const arn = taskDefinition(json).Properties?.TaskRoleArn as { 'Fn::GetAtt': [string, string] };
  return arn['Fn::GetAtt'][0];
}

function policiesOfRole(json: CfnTemplate, roleId: string): Record<string, unknown>[] {
  const inline =
    (json.Resources[roleId]?.Properties?.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[] | undefined) ?? [];
  const attached = resourcesOfType(json, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
    .map(([, policy]) => policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] });
  const managed = (json.Resources[roleId]?.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? [];
  expect(managed, 'the task role has no managed policies').toEqual([]);
  return [...inline.map((p) => p.PolicyDocument), ...attached].flatMap((doc) => doc.Statement);
}

function alarms(json: CfnTemplate): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    resourcesOfType(json, 'AWS::CloudWatch::Alarm').map(([, alarm]) => [alarm.Properties?.AlarmName as string, alarm.Properties ?? {}]),
  );
}

/** Metric names (and namespaces) an alarm reads, whether it is a single metric or metric math. */
function alarmMetrics(
  alarm: Record<string, unknown>,
): { namespace: string; name: string; dimensions: Record<string, unknown>; period: number; stat: string }[] {
  if (alarm.MetricName) {
    const dims = Object.fromEntries(((alarm.Dimensions as { Name: string; Value: unknown }[]) ?? []).map((d) => [d.Name, d.Value]));
    return [
      {
        namespace: alarm.Namespace as string,
        name: alarm.MetricName as string,
        dimensions: dims,
        period: alarm.Period as number,
        stat: (alarm.Statistic ?? alarm.ExtendedStatistic) as string,
      },
    ];
  }
  return ((alarm.Metrics as Record<string, unknown>[]) ?? [])
    .filter((m) => m.MetricStat)
    .map((m) => {
      const stat = m.MetricStat as {
        Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] };
        Period: number;
        Stat: string;
      };
      return {
        namespace: stat.Metric.Namespace,
        name: stat.Metric.MetricName,
        dimensions: Object.fromEntries((stat.Metric.Dimensions ?? []).map((d) => [d.Name, d.Value])),
        period: stat.Period,
        stat: stat.Stat,
      };
    });
}

function alarmExpression(alarm: Record<string, unknown>): string | undefined {
  return ((alarm.Metrics as Record<string, unknown>[]) ?? []).find((m) => m.Expression)?.Expression as string | undefined;
}

/** arn:PARTITION:bedrock:REGION:ACCOUNT:TYPE/ID, where a segment may be a token such as <AWS::AccountId>. */
const SEGMENT = '(?:<[^>]*>|[^:<>]*)';
const BEDROCK_RESOURCE = new RegExp(
  `^arn:${SEGMENT}:bedrock:${SEGMENT}:${SEGMENT}:(?:foundation-model|inference-profile|application-inference-profile|knowledge-base)/[A-Za-z0-9][^*]*$`,
);

describe('task role = the app IAM catalogue', () => {
  for (const [name, get] of [
    ['dev', () => dev],
    ['prod', () => prod],
    ['single', () => single],
  ] as const) {
    it(`${name}: the task role's statements are exactly iamPolicyStatements(...) for the synthesized settings`, () => {
      const s = get();
      const input = s.stack.catalogueInput;
      // The input is this deployment's settings, not a copy made for the test.
      expect(input.region).toBe(s.config.bedrockRegion ?? s.config.region);
      expect(input.fastModelId).toBe(s.config.fastModelId);
      expect(input.detailModelId).toBe(s.config.detailModelId);
      expect(input.knowledgeBaseId).toBe(s.config.knowledgeBaseId);
      expect(input.alarmNamePrefix).toBe(`dualnova-${s.config.envName}-usage`);
      expect(environment(s.json).ALARM_NAME_PREFIX).toBe(input.alarmNamePrefix);
      // Metrics are EMF log lines: no cloudwatch:PutMetricData on the task role.
      expect(input.metricsNamespace).toBeUndefined();
      expect(JSON.stringify(policiesOfRole(s.json, taskRoleId(s.json)))).not.toContain('PutMetricData');
      expect(s.stack.resolve(input.accountId)).toEqual(s.config.account ?? { Ref: 'AWS::AccountId' });
      // The settings secret the catalogue grants is the one the container is told to read.
      const [secretId, secret] = onlyResourceEntry(
        s.json,
        'AWS::SecretsManager::Secret',
        (props) => props.Name === `dualnova/${s.config.envName}/settings`,
      );
      expect(environment(s.json).DUALNOVA_SETTINGS_SECRET).toEqual({ Ref: secretId });
      expect(flatten(s.stack.resolve(input.settingsSecretArn))).toBe(
        `arn:aws:secretsmanager:${s.config.region}:${s.config.account ?? '<AWS::AccountId>'}:secret:${String(secret.Properties?.Name)}`,
      );

      const expected = s.stack.resolve(iamPolicyStatements(input)) as Record<string, unknown>[];
      const actual = policiesOfRole(s.json, taskRoleId(s.json));
      expect(actual.map(normalizeStatement)).toEqual(expected.map(normalizeStatement));
      // ... which grants that one secret, whatever random suffix Secrets Manager gives it.
      const read = actual.find((st) => st.Sid === 'ReadSettingsSecret');
      expect(flatten(read?.Resource)).toMatch(new RegExp(`:secret:dualnova/${s.config.envName}/settings-\\?{6}$`));
    });
  }

  it('lets the app read and manage the usage alarms, but not the service alarms that roll deployments back', () => {
    for (const s of [dev, prod]) {
      const statements = policiesOfRole(s.json, taskRoleId(s.json)).map(normalizeStatement);
      const alarmPatterns = statements
        .filter((st) => (st.Action as string[]).some((a) => a.startsWith('cloudwatch:') && /Alarm/.test(a)))
        .flatMap((st) => (st.Resource as unknown[]).map((r) => flatten(r)));
      expect(alarmPatterns.length).toBeGreaterThan(0);
      const granted = (name: string) =>
        alarmPatterns.some((pattern) => {
          const namePart = pattern.split(':alarm:')[1];
          return (
            namePart !== undefined &&
            new RegExp(`^${namePart.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '.*' : `\\${c}`))}$`).test(name)
          );
        });
      const names = Object.keys(alarms(s.json));
      const usage = names.filter((n) => n.startsWith(`dualnova-${s.config.envName}-usage-`));
      const service = names.filter((n) => n.startsWith(`dualnova-${s.config.envName}-service-`));
      expect(usage.length + service.length).toBe(names.length);
      expect(usage.length).toBeGreaterThanOrEqual(7);
      expect(service.length).toBeGreaterThanOrEqual(5);
      for (const name of usage) expect(granted(name), name).toBe(true);
      for (const name of service) expect(granted(name), name).toBe(false);
    }
  });

  it('the task role trusts only ECS tasks of this account (confused-deputy condition)', () => {
    const role = prod.json.Resources[taskRoleId(prod.json)]!;
    const statement = (role.Properties?.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }).Statement[0]!;
    expect(statement.Principal).toEqual({ Service: 'ecs-tasks.amazonaws.com' });
    expect(statement.Condition).toMatchObject({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });

  it('no IAM policy in the stack grants Bedrock on a wildcard model or resource', () => {
    for (const s of [dev, prod, single]) {
      const statements = [
        ...resourcesOfType(s.json, 'AWS::IAM::Policy').flatMap(
          ([, p]) => (p.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
        ),
        ...resourcesOfType(s.json, 'AWS::IAM::Role').flatMap(([, r]) =>
          ((r.Properties?.Policies as { PolicyDocument: { Statement: Record<string, unknown>[] } }[]) ?? []).flatMap(
            (p) => p.PolicyDocument.Statement,
          ),
        ),
      ].map(normalizeStatement);
      const bedrock = statements.filter((st) => (st.Action as string[]).some((a) => a.startsWith('bedrock:') || a === '*'));
      expect(bedrock.length).toBeGreaterThan(0);
      for (const st of bedrock) {
        expect(st.Action as string[]).not.toContain('bedrock:*');
        expect(st.Action as string[]).not.toContain('*');
        for (const resource of st.Resource as unknown[]) {
          const text = flatten(resource);
          expect(text, `Bedrock resource ${text}`).not.toBe('*');
          // The region of a foundation-model ARN may be * (cross-region profiles); the model or resource id never is.
          expect(text, `Bedrock resource ${text}`).toMatch(BEDROCK_RESOURCE);
        }
      }
    }
  });
});

describe('service and deployments', () => {
  it('rolls back automatically: circuit breaker with rollback, and alarm-based rollback on existing alarms', () => {
    const service = onlyResource(prod.json, 'AWS::ECS::Service').Properties!;
    const deployment = service.DeploymentConfiguration as Record<string, unknown>;
    expect(deployment.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(deployment.MinimumHealthyPercent).toBe(100);
    expect(deployment.MaximumPercent).toBe(200);
    const rollbackAlarms = deployment.Alarms as { AlarmNames: string[]; Rollback: boolean; Enable: boolean };
    expect(rollbackAlarms).toMatchObject({ Enable: true, Rollback: true });
    expect(rollbackAlarms.AlarmNames).toEqual(['dualnova-prod-service-alb-5xx', 'dualnova-prod-service-unhealthy-hosts']);
    for (const name of rollbackAlarms.AlarmNames) expect(Object.keys(alarms(prod.json))).toContain(name);
    expect(onlyResource(single.json, 'AWS::ECS::Service').Properties?.DeploymentConfiguration).toMatchObject({
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
  });

  it('runs on Fargate ARM64 with a read-only root filesystem, an init process and a stop timeout above the app grace period', () => {
    const task = taskDefinition(prod.json).Properties!;
    expect(task.RuntimePlatform).toEqual({ CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' });
    expect(task.RequiresCompatibilities).toEqual(['FARGATE']);
    expect([task.Cpu, task.Memory]).toEqual(['1024', '2048']);
    const c = container(prod.json);
    expect(c.ReadonlyRootFilesystem).toBe(true);
    expect(c.StopTimeout).toBeGreaterThan(Number(environment(prod.json).SHUTDOWN_GRACE_SECONDS));
    expect(c.LinuxParameters).toMatchObject({ InitProcessEnabled: true });
    expect(c.PortMappings).toEqual([expect.objectContaining({ ContainerPort: 8080 })]);
    expect((c.HealthCheck as { Command: string[] }).Command.join(' ')).toContain('/healthz');
    expect((c.MountPoints as { ContainerPath: string }[]).map((m) => m.ContainerPath).sort()).toEqual(['/app/data', '/tmp']);
  });

  it('builds the image from the repository Dockerfile for linux/arm64, from an allow-listed context', () => {
    const assets = JSON.parse(readFileSync(path.join(prod.outdir, 'Dualnova-prod.assets.json'), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile?: string; platform?: string } }>;
    };
    const images = Object.values(assets.dockerImages);
    expect(images).toHaveLength(1);
    expect(images[0]!.source.platform).toBe('linux/arm64');
    const staged = path.join(prod.outdir, images[0]!.source.directory);
    const entries = readdirSync(staged).sort();
    expect(entries).toEqual([
      '.dockerignore',
      'Dockerfile',
      'kb',
      'package-lock.json',
      'package.json',
      'src',
      'tsconfig.base.json',
      'tsconfig.build.json',
      'web',
    ]);
    for (const absent of ['node_modules', 'dist', 'data', 'test', 'infra', '.git', '.env'])
      expect(existsSync(path.join(staged, absent)), absent).toBe(false);
  });

  it('passes the database as ECS secrets (DB_*), the settings secret by ARN, and no secret value in the environment', () => {
    const c = container(prod.json);
    const secrets = Object.fromEntries(
      (c.Secrets as { Name: string; ValueFrom: unknown }[]).map((s) => [s.Name, JSON.stringify(s.ValueFrom)]),
    );
    expect(Object.keys(secrets).sort()).toEqual(['DB_HOST', 'DB_NAME', 'DB_PASSWORD', 'DB_PORT', 'DB_USER']);
    const field: Record<string, string> = {
      DB_HOST: 'host',
      DB_PORT: 'port',
      DB_NAME: 'dbname',
      DB_USER: 'username',
      DB_PASSWORD: 'password',
    };
    for (const [name, key] of Object.entries(field)) expect(secrets[name]).toContain(`:${key}::`);

    const env = environment(prod.json);
    expect(env).toMatchObject({
      HOST: '0.0.0.0',
      PORT: '8080',
      NODE_ENV: 'production',
      MODEL_PROVIDER: 'bedrock',
      DB_SSL: 'true',
      DB_SSL_CA_FILE: '/etc/ssl/certs/rds-global-bundle.pem',
      AUTH_MODE: 'alb-oidc',
      ADMIN_GROUPS: 'dualnova-admins',
      TRUST_PROXY: '1',
      SHUTDOWN_GRACE_SECONDS: '25',
      KNOWLEDGE_BASE_ID: 'ABCDEFGHIJ',
    });
    expect(env.DUALNOVA_SETTINGS_SECRET).toEqual({ Ref: expect.stringMatching(/^SettingsSecret/) });
    expect(env.ALB_ARN).toEqual({ Ref: expect.stringMatching(/^IngressAlb/) });
    // The Cognito group the app treats as admins exists in the pool.
    expect(resourcesOfType(prod.json, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName)).toContain(env.ADMIN_GROUPS);
    for (const name of Object.keys(env)) expect(name).not.toMatch(/PASSWORD|SECRET_VALUE|API_KEY|TOKEN/);
    expect(env).not.toHaveProperty('ALLOW_ANONYMOUS');
    expect(environment(dev.json).AUTH_MODE).toBe('token');
  });

  it('without a database: one task, no Aurora, no DB secrets, no autoscaling', () => {
    expect(resourcesOfType(single.json, 'AWS::RDS::DBCluster')).toHaveLength(0);
    expect(container(single.json).Secrets).toBeUndefined();
    expect(environment(single.json)).not.toHaveProperty('DB_SSL');
    expect(onlyResource(single.json, 'AWS::ECS::Service').Properties?.DesiredCount).toBe(1);
    expect(resourcesOfType(single.json, 'AWS::ApplicationAutoScaling::ScalableTarget')).toHaveLength(0);
  });

  it('uses an existing VPC by id (looked up at synth) instead of creating one', () => {
    const existing = synth({ vpcId: 'vpc-0abc1234def567890', account: '123456789012' });
    expect(resourcesOfType(existing.json, 'AWS::EC2::VPC')).toHaveLength(0);
    expect(resourcesOfType(existing.json, 'AWS::EC2::NatGateway')).toHaveLength(0);
    // Offline, the lookup is reported as missing context (the CLI resolves it with credentials, then caches it).
    const missing = existing.app.synth().manifest.missing ?? [];
    expect(missing.map((m) => m.provider)).toContain('vpc-provider');
    expect(JSON.stringify(missing)).toContain('vpc-0abc1234def567890');
  });

  it('with ECS Exec switched on: the root filesystem becomes writable (Exec needs it), the role gains only the SSM channel, and the synth warns', () => {
    const exec = synth({ enableExecuteCommand: 'true' });
    expect(onlyResource(exec.json, 'AWS::ECS::Service').Properties?.EnableExecuteCommand).toBe(true);
    expect(container(exec.json).ReadonlyRootFilesystem).toBe(false);
    const catalogue = (exec.stack.resolve(iamPolicyStatements(exec.stack.catalogueInput)) as Record<string, unknown>[]).map(
      normalizeStatement,
    );
    const extra = policiesOfRole(exec.json, taskRoleId(exec.json))
      .map(normalizeStatement)
      .filter((st) => !catalogue.some((c) => isDeepStrictEqual(c, st)));
    expect(extra).toHaveLength(1);
    expect(extra.flatMap((st) => st.Action as string[]).every((a) => a.startsWith('ssmmessages:'))).toBe(true);
    expect(Annotations.fromStack(exec.stack).findWarning('*', Match.stringLikeRegexp('enableExecuteCommand=true'))).toHaveLength(1);
    expect(new AwsSolutionsChecks().validateScope(exec.app).violations).toEqual([]);
    expect(container(prod.json).ReadonlyRootFilesystem).toBe(true);
  });

  it('autoscales on CPU and on ALB requests per target, leaving DesiredCount to the scaler', () => {
    expect(onlyResource(prod.json, 'AWS::ECS::Service').Properties).not.toHaveProperty('DesiredCount');
    expect(onlyResource(prod.json, 'AWS::ApplicationAutoScaling::ScalableTarget').Properties).toMatchObject({
      MinCapacity: 2,
      MaxCapacity: 6,
    });
    const metrics = resourcesOfType(prod.json, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(
      ([, p]) =>
        (p.Properties?.TargetTrackingScalingPolicyConfiguration as { PredefinedMetricSpecification: { PredefinedMetricType: string } })
          .PredefinedMetricSpecification.PredefinedMetricType,
    );
    expect(metrics.sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
  });

  it('Aurora Serverless v2 PostgreSQL: encrypted, TLS forced, generated credentials in Secrets Manager, reachable only from the tasks', () => {
    const cluster = onlyResource(prod.json, 'AWS::RDS::DBCluster').Properties!;
    expect(cluster).toMatchObject({
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      DeletionProtection: true,
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 8 },
    });
    expect(resourcesOfType(prod.json, 'AWS::RDS::DBInstance')).toHaveLength(2);
    const params = onlyResource(prod.json, 'AWS::RDS::DBClusterParameterGroup').Properties?.Parameters as Record<string, string>;
    expect(params['rds.force_ssl']).toBe('1');
    expect(JSON.stringify(cluster.MasterUserPassword)).toContain('resolve:secretsmanager');
    const dbIngress = resourcesOfType(prod.json, 'AWS::EC2::SecurityGroupIngress').filter(([id]) => id.startsWith('DatabaseSecurityGroup'));
    expect(dbIngress).toHaveLength(1);
    expect(JSON.stringify(dbIngress[0]![1].Properties?.SourceSecurityGroupId)).toContain('AppSecurityGroup');
    expect(onlyResource(dev.json, 'AWS::RDS::DBCluster').Properties).toMatchObject({
      ServerlessV2ScalingConfiguration: { MinCapacity: 0 },
    });
  });

  it('keeps app logs with a retention period (every log group has one)', () => {
    for (const [s, days] of [
      [dev, 14],
      [prod, 90],
    ] as const) {
      const groups = resourcesOfType(s.json, 'AWS::Logs::LogGroup');
      expect(groups.length).toBeGreaterThan(0);
      for (const [, group] of groups)
        expect(group.Properties?.RetentionInDays, JSON.stringify(group.Properties?.LogGroupName)).toBeGreaterThan(0);
      const app = groups.find(([, g]) => g.Properties?.LogGroupName === `/dualnova/${s.config.envName}/app`);
      expect(app?.[1].Properties?.RetentionInDays).toBe(days);
    }
    expect(JSON.stringify(container(prod.json).LogConfiguration)).toContain('awslogs');
  });
});

describe('load balancer', () => {
  it('health-checks /readyz every 10 s (healthy 2, unhealthy 3, timeout 5): a broken task leaves rotation within a minute', () => {
    const tg = onlyResource(prod.json, 'AWS::ElasticLoadBalancingV2::TargetGroup').Properties!;
    expect(tg).toMatchObject({
      HealthCheckPath: '/readyz',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      TargetType: 'ip',
      Port: 8080,
    });
    expect((tg.HealthCheckIntervalSeconds as number) * (tg.UnhealthyThresholdCount as number)).toBeLessThanOrEqual(60);
    expect(tg.TargetGroupAttributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '30' });
  });

  it('with a certificate: HTTPS on 443 (TLS 1.2+) with the certificate, and HTTP 80 redirects to HTTPS', () => {
    const listeners = resourcesOfType(prod.json, 'AWS::ElasticLoadBalancingV2::Listener').map(([, l]) => l.Properties!);
    expect(listeners).toHaveLength(2);
    const https = listeners.find((l) => l.Port === 443)!;
    expect(https).toMatchObject({ Protocol: 'HTTPS', Certificates: [{ CertificateArn: CERT }] });
    expect(https.SslPolicy).toMatch(/^ELBSecurityPolicy-TLS13-1-2/);
    const http = listeners.find((l) => l.Port === 80)!;
    expect(http.DefaultActions).toEqual([{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }]);
  });

  it('with Cognito: the HTTPS listener authenticates with the user pool, then forwards', () => {
    const https = resourcesOfType(prod.json, 'AWS::ElasticLoadBalancingV2::Listener')
      .map(([, l]) => l.Properties!)
      .find((l) => l.Port === 443)!;
    const actions = https.DefaultActions as { Type: string; Order: number }[];
    expect(actions.map((a) => a.Type)).toEqual(['authenticate-cognito', 'forward']);
    const pool = onlyResource(prod.json, 'AWS::Cognito::UserPool').Properties!;
    expect(pool).toMatchObject({ MfaConfiguration: 'ON', AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const client = onlyResource(prod.json, 'AWS::Cognito::UserPoolClient').Properties!;
    expect(client.CallbackURLs).toEqual(['https://support.example.com/oauth2/idpresponse']);
  });

  it('without a certificate: HTTP only, and the synth warns about it', () => {
    const listeners = resourcesOfType(dev.json, 'AWS::ElasticLoadBalancingV2::Listener').map(([, l]) => l.Properties!);
    expect(listeners).toHaveLength(1);
    expect(listeners[0]).toMatchObject({ Port: 80, Protocol: 'HTTP' });
    expect((listeners[0]!.DefaultActions as { Type: string }[])[0]!.Type).toBe('forward');
    const warnings = Annotations.fromStack(dev.stack).findWarning('*', Match.stringLikeRegexp('No certificateArn'));
    expect(warnings).toHaveLength(1);
    expect(Annotations.fromStack(prod.stack).findWarning('*', Match.stringLikeRegexp('No certificateArn'))).toHaveLength(0);
  });

  it('with an allow-list: ingress only from those CIDRs, and no 0.0.0.0/0 ingress anywhere', () => {
    const albGroups = resourcesOfType(prod.json, 'AWS::EC2::SecurityGroup').filter(([id]) => id.startsWith('IngressSecurityGroup'));
    expect(albGroups).toHaveLength(1);
    const ingress = albGroups[0]![1].Properties?.SecurityGroupIngress as { CidrIp: string; FromPort: number }[];
    expect(ingress.map((r) => `${r.CidrIp}:${r.FromPort}`).sort()).toEqual(CIDRS.flatMap((c) => [`${c}:443`, `${c}:80`]).sort());

    const everyIngress = [
      ...resourcesOfType(prod.json, 'AWS::EC2::SecurityGroup').flatMap(
        ([, g]) => (g.Properties?.SecurityGroupIngress as Record<string, unknown>[]) ?? [],
      ),
      ...resourcesOfType(prod.json, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties ?? {}),
    ];
    expect(everyIngress.length).toBeGreaterThan(0);
    for (const rule of everyIngress) {
      expect(rule.CidrIp).not.toBe('0.0.0.0/0');
      expect(rule.CidrIpv6).not.toBe('::/0');
    }
  });

  it('without an allow-list, an internet-facing ALB is open on its listener port only', () => {
    const albGroup = resourcesOfType(dev.json, 'AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('IngressSecurityGroup'))!;
    const ingress = albGroup[1].Properties?.SecurityGroupIngress as { CidrIp: string; FromPort: number; ToPort: number }[];
    expect(ingress).toEqual([expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 80, ToPort: 80 })]);
  });

  it('opens only the needed paths: ALB → tasks on 8080 (and HTTPS to Cognito), tasks → HTTPS and PostgreSQL', () => {
    const groups = Object.fromEntries(resourcesOfType(prod.json, 'AWS::EC2::SecurityGroup').map(([id, g]) => [id, g.Properties ?? {}]));
    const albId = Object.keys(groups).find((id) => id.startsWith('IngressSecurityGroup'))!;
    const appId = Object.keys(groups).find((id) => id.startsWith('AppSecurityGroup'))!;
    const egressOf = (id: string) => [
      ...((groups[id]!.SecurityGroupEgress as Record<string, unknown>[]) ?? []).map((r) => `${String(r.CidrIp)}:${String(r.FromPort)}`),
      ...resourcesOfType(prod.json, 'AWS::EC2::SecurityGroupEgress')
        .filter(([, r]) => JSON.stringify(r.Properties?.GroupId).includes(id))
        .map(
          ([, r]) =>
            `${JSON.stringify(r.Properties?.DestinationSecurityGroupId).match(/"(\w+?)SecurityGroup/)?.[1] ?? '?'}:${typeof r.Properties?.FromPort === 'number' ? r.Properties.FromPort : 'db-port'}`,
        ),
    ];
    expect(egressOf(albId).sort()).toEqual(['0.0.0.0/0:443', 'App:8080']);
    expect(egressOf(appId).sort()).toEqual(['0.0.0.0/0:443', 'Database:db-port']);
    const appIngress = resourcesOfType(prod.json, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) =>
      JSON.stringify(r.Properties?.GroupId).includes(appId),
    );
    expect(appIngress).toHaveLength(1);
    expect(JSON.stringify(appIngress[0]![1].Properties?.SourceSecurityGroupId)).toContain(albId);
  });

  it('drops invalid headers and writes access logs to the encrypted log bucket', () => {
    const alb = onlyResource(prod.json, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Properties!;
    const attributes = Object.fromEntries((alb.LoadBalancerAttributes as { Key: string; Value: string }[]).map((a) => [a.Key, a.Value]));
    expect(attributes).toMatchObject({
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'deletion_protection.enabled': 'true',
    });
    expect(resourcesOfType(prod.json, 'AWS::WAFv2::WebACLAssociation')).toHaveLength(1);
  });
});

describe('alarms and dashboard', () => {
  it('has the usage alarms per model (tokens per hour, throttles, server errors) from AWS/Bedrock', () => {
    const all = alarms(dev.json);
    for (const model of ['us.amazon.nova-micro-v1:0', 'us.amazon.nova-pro-v1:0']) {
      const tokens = all[`dualnova-dev-usage-tokens-${model}`]!;
      expect(tokens, model).toBeDefined();
      const metrics = alarmMetrics(tokens);
      expect(metrics.map((m) => m.name).sort()).toEqual(['InputTokenCount', 'OutputTokenCount']);
      for (const m of metrics)
        expect(m).toMatchObject({ namespace: 'AWS/Bedrock', dimensions: { ModelId: model }, period: 3600, stat: 'Sum' });
      expect(tokens.Threshold).toBe(500_000);

      expect(alarmMetrics(all[`dualnova-dev-usage-throttles-${model}`]!)).toEqual([
        expect.objectContaining({ namespace: 'AWS/Bedrock', name: 'InvocationThrottles', dimensions: { ModelId: model } }),
      ]);
      expect(alarmMetrics(all[`dualnova-dev-usage-server-errors-${model}`]!)).toEqual([
        expect.objectContaining({ namespace: 'AWS/Bedrock', name: 'InvocationServerErrors', dimensions: { ModelId: model } }),
      ]);
    }
  });

  it('estimates the cost per rolling day with metric math over the price table', () => {
    const cost = alarms(dev.json)['dualnova-dev-usage-cost-per-day']!;
    const metrics = alarmMetrics(cost);
    expect(metrics).toHaveLength(8);
    for (const m of metrics) expect(m).toMatchObject({ namespace: 'AWS/Bedrock', period: 86400, stat: 'Sum' });
    expect(new Set(metrics.map((m) => m.name))).toEqual(
      new Set(['InputTokenCount', 'OutputTokenCount', 'CacheReadInputTokenCount', 'CacheWriteInputTokenCount']),
    );
    const expression = alarmExpression(cost)!;
    // Nova Micro input $0.035 and Nova Pro output $3.2 per million tokens (infra/config/bedrock-prices.ts).
    expect(expression).toContain('* 0.035');
    expect(expression).toContain('* 3.2');
    expect(expression).toMatch(/\/ 1000000$/);
    expect(cost.Threshold).toBe(5);
  });

  it('has the service alarms: ALB 5xx, unhealthy hosts, target response time, ECS CPU and memory, Aurora capacity', () => {
    const all = alarms(prod.json);
    const names = (alarm: string) =>
      alarmMetrics(all[alarm]!)
        .map((m) => `${m.namespace}/${m.name}`)
        .sort();
    expect(names('dualnova-prod-service-alb-5xx')).toEqual([
      'AWS/ApplicationELB/HTTPCode_ELB_5XX_Count',
      'AWS/ApplicationELB/HTTPCode_Target_5XX_Count',
    ]);
    expect(names('dualnova-prod-service-unhealthy-hosts')).toEqual(['AWS/ApplicationELB/UnHealthyHostCount']);
    expect(names('dualnova-prod-service-target-response-time')).toEqual(['AWS/ApplicationELB/TargetResponseTime']);
    expect(alarmMetrics(all['dualnova-prod-service-target-response-time']!)[0]!.stat).toBe('p95');
    expect(names('dualnova-prod-service-ecs-cpu')).toEqual(['AWS/ECS/CPUUtilization']);
    expect(names('dualnova-prod-service-ecs-memory')).toEqual(['AWS/ECS/MemoryUtilization']);
    expect(names('dualnova-prod-service-db-capacity')).toEqual(['AWS/RDS/ACUUtilization']);
  });

  it('notifies the SNS topic (encrypted, e-mail) on alarm and recovery when alarmEmail is set', () => {
    const topicId = resourcesOfType(prod.json, 'AWS::SNS::Topic')[0]![0];
    expect(onlyResource(prod.json, 'AWS::SNS::Topic').Properties?.KmsMasterKeyId).toBeDefined();
    expect(onlyResource(prod.json, 'AWS::SNS::Subscription').Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.com' });
    for (const [name, alarm] of Object.entries(alarms(prod.json))) {
      expect(alarm.AlarmActions, name).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, name).toEqual([{ Ref: topicId }]);
    }
    expect(resourcesOfType(dev.json, 'AWS::SNS::Topic')).toHaveLength(0);
    for (const alarm of Object.values(alarms(dev.json))) expect(alarm.AlarmActions).toBeUndefined();
  });

  it('has a dashboard with Bedrock tokens and latency per model, the app EMF metrics by purpose, and ALB latency and errors', () => {
    const body = JSON.stringify(prod.stack.resolve(onlyResource(prod.json, 'AWS::CloudWatch::Dashboard').Properties?.DashboardBody));
    for (const needle of [
      'InputTokenCount',
      'OutputTokenCount',
      'InvocationLatency',
      'us.amazon.nova-micro-v1:0',
      'us.amazon.nova-pro-v1:0',
      'TargetResponseTime',
      'HTTPCode_Target_5XX_Count',
    ]) {
      expect(body, needle).toContain(needle);
    }
    expect(body).toContain("SEARCH('{Dualnova,Model,Purpose} MetricName=");
    for (const name of ['InputTokens', 'OutputTokens', 'CostUsd', 'LatencyMs']) expect(body).toContain(name);
  });
});

describe('cdk-nag AwsSolutions', () => {
  for (const [name, get] of [
    ['dev', () => dev],
    ['prod', () => prod],
    ['single', () => single],
  ] as const) {
    it(`${name}: no unacknowledged findings (errors or warnings)`, () => {
      const report = new AwsSolutionsChecks().validateScope(get().app);
      const findings = report.violations.map(
        (v) => `${v.severity} ${v.ruleName}: ${v.description} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );
      expect(findings).toEqual([]);
    });
  }

  it('every acknowledgement carries a specific reason', () => {
    const reasons: string[] = [];
    for (const node of prod.app.node.findAll()) {
      for (const entry of node.node.metadata) {
        if (entry.type === 'aws:cdk:acknowledged-rules') reasons.push(...Object.values(entry.data as Record<string, string>));
      }
    }
    expect(reasons.length).toBeGreaterThan(3);
    for (const reason of reasons) expect(reason.length, reason).toBeGreaterThan(60);
  });
});
