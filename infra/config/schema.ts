import { z } from 'zod';

/**
 * Every deployment parameter of the dualnova stack, validated before any construct is built.
 * Values come from an environment file (infra/config/dev.ts, prod.ts) and may be overridden with CDK
 * context (`-c key=value`), where everything arrives as a string: booleans, numbers and lists are
 * therefore accepted in their string forms too ("true", "2", "203.0.113.0/24,198.51.100.7/32").
 */

const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Fargate's allowed CPU units → memory sizes (MiB), ARM64/Linux. */
const FARGATE_MEMORY: Record<number, readonly number[]> = {
  256: [512, 1024, 2048],
  512: [1024, 2048, 3072, 4096],
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let value = from; value <= to; value += step) out.push(value);
  return out;
}

const bool = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'must be true or false' }),
);
const int = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
const num = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== '')
        : value,
    z.array(item),
  );
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

function isIpv4Cidr(value: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return false;
  // Host bits must be zero (203.0.113.0/24, not 203.0.113.7/24): EC2 rejects the rule otherwise.
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  return prefix === 32 || address % 2 ** (32 - prefix) === 0;
}

const cidr = z.string().refine(isIpv4Cidr, 'must be an IPv4 CIDR with zero host bits, such as 203.0.113.0/24 or 198.51.100.7/32');
const modelId = z
  .string()
  .regex(
    /^(?:(?:us|eu|apac|us-gov|global)\.)?[a-z0-9-]+\.[a-z0-9.:-]+$/,
    'must be a Bedrock model or inference-profile id such as us.amazon.nova-pro-v1:0',
  );

export const deployConfigSchema = z
  .object({
    /** Environment name: part of the stack name, resource names and the alarm prefix. */
    envName: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, 'must be 2-16 lowercase letters, digits or dashes, starting with a letter'),
    /** Target account; optional (the template is then account-agnostic). Required with vpcId. */
    account: optional(z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id')),
    region: z.string().regex(/^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1'),

    // ---- network
    /** Use an existing VPC (looked up at synth: needs `account` and AWS credentials). Unset = a new VPC. */
    vpcId: optional(z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id such as vpc-0abc1234def567890')),
    vpcCidr: z.string().refine(isIpv4Cidr, 'must be an IPv4 CIDR such as 10.40.0.0/16').default('10.40.0.0/16'),
    maxAzs: int(2, 3).default(2),
    /** NAT gateways of a new VPC: 1 is cheaper, one per AZ survives an AZ outage. */
    natGateways: int(1, 3).default(1),
    /** VPC flow logs of a new VPC, to the log bucket. */
    flowLogTraffic: z.enum(['ALL', 'REJECT'], { error: 'must be ALL or REJECT' }).default('REJECT'),

    // ---- load balancer and access
    internetFacing: bool.default(true),
    /** ACM certificate (same region) for the HTTPS listener. Unset = HTTP only, with a synth warning. */
    certificateArn: optional(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
          'must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/UUID)',
        ),
    ),
    /** The DNS name users open (covered by the certificate); used for the Cognito callback and the URL output. */
    domainName: optional(
      z
        .string()
        .regex(
          /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          'must be a lowercase DNS name such as support.example.com',
        ),
    ),
    /** Only these IPv4 CIDRs may reach the ALB. Empty = anyone (internet-facing) or the VPC (internal). */
    allowedCidrs: list(cidr).default([]),
    /** Seconds an idle connection is kept; SSE answers stream, but a slow detail model can pause. */
    albIdleTimeoutSeconds: int(60, 4000).default(120),
    /** AWS WAF web ACL with AWS managed rules and a per-IP rate limit in front of the ALB. */
    waf: bool.default(false),
    wafRateLimitPer5Min: int(100, 2_000_000_000).default(2000),

    // ---- login
    /** Cognito user pool + ALB authenticate action (AUTH_MODE=alb-oidc). Needs certificateArn, domainName, cognitoDomainPrefix. */
    cognito: bool.default(false),
    /** E-mails of app admins (ADMIN_EMAILS): Cognito's userinfo claims, which the ALB forwards, carry no groups. */
    adminEmails: list(z.string().email('must be an e-mail address')).default([]),
    cognitoDomainPrefix: optional(
      z
        .string()
        .regex(
          /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
          'must be lowercase letters, digits and dashes (a Cognito hosted-UI domain prefix)',
        ),
    ),
    cognitoSessionHours: int(1, 168).default(12),

    // ---- service
    cpu: z.coerce
      .number()
      .refine((value) => value in FARGATE_MEMORY, 'must be a Fargate CPU size: 256, 512, 1024, 2048 or 4096')
      .default(512),
    memoryMiB: int(512, 30720).default(1024),
    /** Tasks kept running (and the autoscaling minimum). Above 1 needs the database. */
    desiredCount: int(1, 100).default(1),
    /** Autoscaling maximum; equal to desiredCount turns autoscaling off. Above 1 needs the database. */
    maxCount: int(1, 200).default(1),
    cpuTargetPercent: int(10, 90).default(60),
    /** ALB requests per task per minute before scaling out. */
    requestsPerTarget: int(10, 100000).default(300),
    /** ECS Exec (aws ecs execute-command) for debugging; adds ssmmessages actions to the task role. */
    enableExecuteCommand: bool.default(false),
    logRetentionDays: z.coerce
      .number()
      .refine(
        (value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value),
        `must be one of CloudWatch Logs' retention values: ${LOG_RETENTION_DAYS.join(', ')}`,
      )
      .default(30),

    // ---- application settings passed to the container
    fastModelId: modelId.default('us.amazon.nova-micro-v1:0'),
    detailModelId: modelId.default('us.amazon.nova-pro-v1:0'),
    /** Region of the Bedrock calls; defaults to the stack region. */
    bedrockRegion: optional(z.string().regex(/^[a-z]{2}(?:-gov)?-[a-z]+-\d$/, 'must be an AWS region such as us-east-1')),
    knowledgeBaseId: optional(z.string().regex(/^[0-9A-Za-z]{10}$/, 'must be a 10-character Bedrock knowledge base id')),
    staffLanguage: z.enum(['ko', 'en', 'ja', 'zh'], { error: 'must be ko, en, ja or zh' }).default('ko'),
    /** An existing settings secret (JSON of setting names); unset = the stack creates an empty one. */
    settingsSecretArn: optional(
      z
        .string()
        .regex(
          /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/,
          'must be a complete Secrets Manager secret ARN (ending in the 6-character suffix)',
        ),
    ),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], { error: 'must be fatal, error, warn, info, debug or trace' })
      .default('info'),

    /** Keep data-bearing resources (app logs, settings secret, user pool) when the stack is deleted. */
    retainOnDelete: bool.default(false),

    // ---- database
    /** Aurora Serverless v2 PostgreSQL. Without it the single task keeps SQLite on its ephemeral disk. */
    database: bool.default(true),
    postgresVersion: z
      .string()
      .regex(/^1[5-7]\.\d+$/, 'must be an Aurora PostgreSQL version such as 16.6 (15.x-17.x)')
      .default('16.6'),
    /** 0 lets the cluster pause when idle (Aurora PostgreSQL 16.3+/15.7+), at the price of a ~15 s resume. */
    dbMinAcu: num(0, 256)
      .refine((value) => Number.isInteger(value * 2), 'must be a multiple of 0.5')
      .default(0.5),
    dbMaxAcu: num(1, 256)
      .refine((value) => Number.isInteger(value * 2), 'must be a multiple of 0.5')
      .default(4),
    /** Readers in other AZs: a failover target. */
    dbReaders: int(0, 15).default(0),
    dbBackupRetentionDays: int(1, 35).default(7),
    dbDeletionProtection: bool.default(false),

    // ---- monitoring
    alarmNamePrefix: optional(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')),
    /** E-mail for alarm notifications (an SNS topic is created when set). */
    alarmEmail: optional(z.email({ error: 'must be an e-mail address' })),
    /** Input + output tokens per model per hour (AWS/Bedrock, whole account). */
    alarmTokensPerHour: int(1000, 10_000_000_000).default(2_000_000),
    /** Estimated USD per rolling 24 hours for the configured models (price table in infra/config/bedrock-prices.ts). */
    alarmCostPerDayUsd: num(0.01, 1_000_000).default(20),
    alarmThrottlesPer5Min: int(1, 1_000_000).default(10),
    alarmServerErrorsPer5Min: int(1, 1_000_000).default(5),
    alarmAlb5xxPer5Min: int(1, 1_000_000).default(10),
    alarmTargetResponseSeconds: num(0.1, 300).default(5),
    /** Roll a deployment back when the ALB 5xx or unhealthy-host alarm fires while it runs. */
    rollbackOnAlarm: bool.default(true),
  })
  .superRefine((config, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });

    if (!config.database && config.desiredCount > 1) {
      problem(
        'desiredCount',
        `desiredCount=${config.desiredCount} needs the shared database (database=true): without it every task keeps its own SQLite file, so conversations would be split between tasks and lost at each deployment`,
      );
    }
    if (!config.database && config.maxCount > 1) {
      problem(
        'maxCount',
        `maxCount=${config.maxCount} needs the shared database (database=true): autoscaling would start tasks with separate SQLite files`,
      );
    }
    if (config.maxCount < config.desiredCount) problem('maxCount', `must be at least desiredCount (${config.desiredCount})`);

    const memory = FARGATE_MEMORY[config.cpu];
    if (memory && !memory.includes(config.memoryMiB)) {
      problem('memoryMiB', `${config.memoryMiB} MiB is not a Fargate size for cpu=${config.cpu}; allowed: ${memory.join(', ')}`);
    }
    if (config.dbMaxAcu < config.dbMinAcu) problem('dbMaxAcu', `must be at least dbMinAcu (${config.dbMinAcu})`);
    if (config.dbMinAcu === 0 && config.dbReaders > 0) {
      problem('dbMinAcu', 'a cluster with readers cannot pause: set dbMinAcu to 0.5 or more, or dbReaders to 0');
    }

    if (config.certificateArn) {
      const certRegion = config.certificateArn.split(':')[3];
      if (certRegion !== config.region) {
        problem(
          'certificateArn',
          `the certificate is in ${certRegion ?? '?'} but the stack deploys to ${config.region}; an ALB needs a certificate from its own region`,
        );
      }
    }
    if (config.cognito) {
      if (!config.certificateArn)
        problem('certificateArn', 'cognito=true needs HTTPS: set certificateArn (the ALB authenticates only on HTTPS listeners)');
      if (!config.domainName) problem('domainName', 'cognito=true needs domainName (the callback URL https://DOMAIN/oauth2/idpresponse)');
      if (!config.cognitoDomainPrefix)
        problem('cognitoDomainPrefix', 'cognito=true needs cognitoDomainPrefix (the hosted sign-in page, unique in the region)');
    }
    if (config.allowedCidrs.includes('0.0.0.0/0')) {
      problem('allowedCidrs', '0.0.0.0/0 is not an allow-list; leave allowedCidrs empty for open access');
    }
    if (config.vpcId && !config.account) {
      problem('account', 'vpcId needs account: an existing VPC is looked up at synth, which needs a concrete account and AWS credentials');
    }
  });

export type DeployConfigInput = z.input<typeof deployConfigSchema>;
export type DeployConfig = z.output<typeof deployConfigSchema>;
export const DEPLOY_CONFIG_KEYS = Object.keys(deployConfigSchema.shape) as (keyof DeployConfig)[];

/** One line per bad parameter, with the value given and what is allowed. */
export class DeployConfigError extends Error {
  override readonly name = 'DeployConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid dualnova deployment parameters:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function parseDeployConfig(input: Record<string, unknown>): DeployConfig {
  const result = deployConfigSchema.safeParse(input);
  if (result.success) return result.data;
  throw new DeployConfigError(
    result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '(parameters)');
      const given = input[key];
      return `${key}=${given === undefined ? '(unset)' : JSON.stringify(given)}: ${issue.message}`;
    }),
  );
}
