import { z } from 'zod';

/**
 * Settings for login, abuse limits, shutdown and the PostgreSQL connection parts. Kept apart from
 * schema.ts (which spreads this shape into the one settings schema) so they read as one topic.
 */

export type AuthMode = 'none' | 'alb-oidc' | 'token';
/** Fastify/proxy-addr `trustProxy`: false, a hop count, or the addresses/CIDRs of trusted proxies. */
export type TrustProxy = false | number | string[];

export interface AuthSettings {
  mode: AuthMode;
  /** Explicit opt-in to AUTH_MODE=none on a non-loopback address. */
  allowAnonymous: boolean;
  /** The ALB that must have signed x-amzn-oidc-data (alb-oidc mode). */
  albArn: string | undefined;
  /** Where the ALB's public key for a key id is fetched; `{region}` and `{kid}` are filled in. */
  albKeyUrl: string;
  /** The claim holding the user's groups (also `groups` is read). */
  groupsClaim: string;
  /** Members of any of these groups are admins; everyone else is an agent. */
  adminGroups: string[];
  /** Signed-in users with one of these e-mails are admins too (Cognito's userinfo claims carry no groups). */
  adminEmails: string[];
}

export interface LimitSettings {
  /** Chat and translate requests per user per minute. */
  userPerMinute: number;
  /** All /api requests per client IP per minute. */
  ipPerMinute: number;
  /** Streaming answers one user may have open at once (per process). */
  concurrentStreamsPerUser: number;
  bodyLimitBytes: number;
  maxHeaderBytes: number;
}

export const DEFAULT_ALB_KEY_URL = 'https://public-keys.auth.elb.{region}.amazonaws.com/{kid}';

const count = (max: number) => z.coerce.number().int().positive().max(max);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

// arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188
const ALB_ARN = /^arn:aws(-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[A-Za-z0-9-]+\/[0-9a-f]+$/;
const ADDRESS_OR_CIDR = /^[0-9A-Fa-f.:]+(\/\d{1,3})?$/;

const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    const lower = value.toLowerCase();
    if (lower === 'false' || lower === '0' || lower === '') return false;
    // `true` means "one proxy in front of us" (the ALB), never "trust every X-Forwarded-For entry":
    // the leftmost entries are whatever the client chose to send.
    if (lower === 'true') return 1;
    if (/^\d+$/.test(lower)) return Number(lower);
    const list = value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (list.every((part) => ADDRESS_OR_CIDR.test(part))) return list;
    ctx.addIssue({ code: 'custom', message: 'must be true, false, a hop count, or a comma-separated list of proxy addresses/CIDRs' });
    return z.NEVER;
  });

export const securitySettingsShape = {
  AUTH_MODE: z.enum(['none', 'alb-oidc', 'token']).default('none'),
  ALLOW_ANONYMOUS: flag.default(false),
  ALB_ARN: optionalText.pipe(
    z
      .string()
      .regex(ALB_ARN, 'must be an application load balancer ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)')
      .optional(),
  ),
  ALB_KEY_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/\S*\{kid\}/, 'must be an http(s) URL containing {kid} (and optionally {region})')
    .default(DEFAULT_ALB_KEY_URL),
  ALB_GROUPS_CLAIM: z.string().trim().min(1).default('cognito:groups'),
  ADMIN_GROUPS: z.string().default('dualnova-admins'),
  ADMIN_EMAILS: z.string().default(''),
  RATE_LIMIT_PER_MINUTE: count(1_000_000).default(30),
  RATE_LIMIT_IP_PER_MINUTE: count(10_000_000).default(300),
  MAX_CONCURRENT_STREAMS: count(100_000).default(3),
  BODY_LIMIT_BYTES: count(10 * 1024 * 1024)
    .min(1024)
    .default(65_536),
  MAX_HEADER_BYTES: count(1024 * 1024)
    .min(1024)
    .default(16_384),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(3600).default(25),
  TRUST_PROXY: trustProxy.default(false),
  DB_HOST: optionalText,
  DB_PORT: z.coerce.number().int().min(1).max(65535).default(5432),
  DB_NAME: z.string().trim().min(1).default('dualnova'),
  DB_USER: z.string().trim().min(1).default('postgres'),
  DB_PASSWORD: optionalText,
  DB_SSL: flag.default(false),
  DB_SSL_CA_FILE: optionalText,
};

export type ParsedSecuritySettings = z.output<z.ZodObject<typeof securitySettingsShape>>;

/** Problems that involve more than one key; one line each, like the schema's own. */
export function securitySettingsProblems(s: ParsedSecuritySettings & { DATABASE_URL?: string | undefined }): string[] {
  const problems: string[] = [];
  if (s.AUTH_MODE === 'alb-oidc' && !s.ALB_ARN) {
    problems.push('ALB_ARN=(unset): required when AUTH_MODE=alb-oidc (the ARN of the load balancer that signs x-amzn-oidc-data)');
  }
  if (s.DATABASE_URL && s.DB_HOST) {
    problems.push('DB_HOST: set either DATABASE_URL or DB_HOST (with DB_PORT, DB_NAME, DB_USER, DB_PASSWORD), not both');
  }
  if (s.DB_SSL_CA_FILE && !s.DB_SSL) problems.push('DB_SSL_CA_FILE: only used with DB_SSL=true');
  return problems;
}

/**
 * DATABASE_URL from its parts (how the CDK stack hands over the Aurora secret). User and password
 * are URL-encoded. DB_SSL=true encrypts (`sslmode=require` with libpq semantics, so node-postgres
 * does not silently upgrade it to verify-full against a CA it does not have); with DB_SSL_CA_FILE
 * (e.g. the RDS CA bundle) the server certificate and host name are verified too.
 */
export function composeDatabaseUrl(s: ParsedSecuritySettings): string | undefined {
  if (!s.DB_HOST) return undefined;
  const auth = `${encodeURIComponent(s.DB_USER)}${s.DB_PASSWORD === undefined ? '' : `:${encodeURIComponent(s.DB_PASSWORD)}`}`;
  const host = s.DB_HOST.includes(':') && !s.DB_HOST.startsWith('[') ? `[${s.DB_HOST}]` : s.DB_HOST;
  const url = `postgres://${auth}@${host}:${s.DB_PORT}/${encodeURIComponent(s.DB_NAME)}`;
  if (!s.DB_SSL) return url;
  if (s.DB_SSL_CA_FILE) return `${url}?sslmode=verify-full&sslrootcert=${encodeURIComponent(s.DB_SSL_CA_FILE)}`;
  return `${url}?uselibpqcompat=true&sslmode=require`;
}

export function toAuthSettings(s: ParsedSecuritySettings): AuthSettings {
  return {
    mode: s.AUTH_MODE,
    allowAnonymous: s.ALLOW_ANONYMOUS,
    albArn: s.ALB_ARN,
    albKeyUrl: s.ALB_KEY_URL,
    groupsClaim: s.ALB_GROUPS_CLAIM,
    adminGroups: s.ADMIN_GROUPS.split(',')
      .map((g) => g.trim())
      .filter(Boolean),
    adminEmails: s.ADMIN_EMAILS.split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  };
}

export function toLimitSettings(s: ParsedSecuritySettings): LimitSettings {
  return {
    userPerMinute: s.RATE_LIMIT_PER_MINUTE,
    ipPerMinute: s.RATE_LIMIT_IP_PER_MINUTE,
    concurrentStreamsPerUser: s.MAX_CONCURRENT_STREAMS,
    bodyLimitBytes: s.BODY_LIMIT_BYTES,
    maxHeaderBytes: s.MAX_HEADER_BYTES,
  };
}
