import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { exposureProblem, isLoopbackHost } from '../../src/auth/exposure.js';
import { loadSettings, SettingsError } from '../../src/config/settings.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadSettings({ env });
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
};

describe('security settings', () => {
  it('has safe defaults', () => {
    const s = loadSettings({ env: {} });
    expect(s.auth).toEqual({
      mode: 'none',
      allowAnonymous: false,
      albArn: undefined,
      albKeyUrl: 'https://public-keys.auth.elb.{region}.amazonaws.com/{kid}',
      groupsClaim: 'cognito:groups',
      adminGroups: ['dualnova-admins'],
      adminEmails: [],
    });
    expect(s.limits).toEqual({
      userPerMinute: 30,
      ipPerMinute: 300,
      concurrentStreamsPerUser: 3,
      bodyLimitBytes: 65_536,
      maxHeaderBytes: 16_384,
    });
    expect(s.shutdownGraceSeconds).toBe(25);
    expect(s.trustProxy).toBe(false);
    expect(s.databaseUrl).toBeUndefined();
  });

  it('reads modes, groups, limits and booleans', () => {
    const s = loadSettings({
      env: {
        AUTH_MODE: 'token',
        ALLOW_ANONYMOUS: 'TRUE',
        ADMIN_GROUPS: ' leads , admins ,',
        RATE_LIMIT_PER_MINUTE: '5',
        MAX_CONCURRENT_STREAMS: '1',
        SHUTDOWN_GRACE_SECONDS: '0',
      },
    });
    expect(s.auth.mode).toBe('token');
    expect(s.auth.allowAnonymous).toBe(true);
    expect(s.auth.adminGroups).toEqual(['leads', 'admins']);
    expect(s.limits.userPerMinute).toBe(5);
    expect(s.limits.concurrentStreamsPerUser).toBe(1);
    expect(s.shutdownGraceSeconds).toBe(0);
    expect(loadSettings({ env: { ALLOW_ANONYMOUS: 'false' } }).auth.allowAnonymous).toBe(false);
  });

  it('treats TRUST_PROXY=true as one trusted hop (the ALB), never as "trust every X-Forwarded-For entry"', () => {
    expect(loadSettings({ env: { TRUST_PROXY: 'true' } }).trustProxy).toBe(1);
    expect(loadSettings({ env: { TRUST_PROXY: '2' } }).trustProxy).toBe(2);
    expect(loadSettings({ env: { TRUST_PROXY: '10.0.0.0/8, 172.16.0.0/12' } }).trustProxy).toEqual(['10.0.0.0/8', '172.16.0.0/12']);
    expect(loadSettings({ env: { TRUST_PROXY: 'false' } }).trustProxy).toBe(false);
  });

  it('reports bad values one line per key', () => {
    const problems = problemsOf({
      AUTH_MODE: 'saml',
      ALLOW_ANONYMOUS: 'maybe',
      RATE_LIMIT_PER_MINUTE: '0',
      BODY_LIMIT_BYTES: '10',
      TRUST_PROXY: 'everyone',
      ALB_KEY_URL: 'ftp://x',
    });
    expect(problems.find((p) => p.startsWith('AUTH_MODE="saml"'))).toMatch(/none.*alb-oidc.*token/);
    expect(problems.find((p) => p.startsWith('ALLOW_ANONYMOUS="maybe"'))).toMatch(/true or false/);
    expect(problems.find((p) => p.startsWith('RATE_LIMIT_PER_MINUTE="0"'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('BODY_LIMIT_BYTES="10"'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('TRUST_PROXY="everyone"'))).toBeDefined();
    expect(problems.find((p) => p.startsWith('ALB_KEY_URL="ftp://x"'))).toMatch(/\{kid\}/);
  });

  it('needs a well-formed ALB_ARN for alb-oidc', () => {
    expect(problemsOf({ AUTH_MODE: 'alb-oidc' })).toEqual([expect.stringMatching(/^ALB_ARN=\(unset\): required when AUTH_MODE=alb-oidc/)]);
    expect(problemsOf({ AUTH_MODE: 'alb-oidc', ALB_ARN: 'arn:aws:iam::123456789012:role/x' })[0]).toMatch(
      /^ALB_ARN=.*application load balancer ARN/,
    );
    const s = loadSettings({
      env: {
        AUTH_MODE: 'alb-oidc',
        ALB_ARN: 'arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:loadbalancer/app/dualnova/0123456789abcdef',
      },
    });
    expect(s.auth.albArn).toContain('ap-northeast-2');
  });

  it('composes DATABASE_URL from DB_* parts (the Aurora secret), URL-encoding user and password', () => {
    const s = loadSettings({
      env: { DB_HOST: 'db.cluster-x.eu-west-1.rds.amazonaws.com', DB_NAME: 'dualnova', DB_USER: 'app user', DB_PASSWORD: 'p@ss:w/rd?#%' },
    });
    expect(s.databaseUrl).toBe('postgres://app%20user:p%40ss%3Aw%2Frd%3F%23%25@db.cluster-x.eu-west-1.rds.amazonaws.com:5432/dualnova');
    const parsed = new URL(s.databaseUrl ?? '');
    expect(decodeURIComponent(parsed.password)).toBe('p@ss:w/rd?#%');
    expect(decodeURIComponent(parsed.username)).toBe('app user');
  });

  it('encrypts with DB_SSL=true (libpq "require" semantics), and verifies the server with DB_SSL_CA_FILE', () => {
    const required = loadSettings({ env: { DB_HOST: 'h', DB_PASSWORD: 'x', DB_SSL: 'true' } }).databaseUrl ?? '';
    expect(required).toMatch(/sslmode=require/);
    // What node-postgres makes of it (no connection is opened): TLS on, no CA needed.
    const client = new pg.Client({ connectionString: required }) as unknown as { ssl: unknown };
    expect(client.ssl).toMatchObject({ rejectUnauthorized: false });
    const verified =
      loadSettings({ env: { DB_HOST: 'h', DB_SSL: 'true', DB_SSL_CA_FILE: '/etc/ssl/rds-global-bundle.pem' } }).databaseUrl ?? '';
    expect(verified).toMatch(/sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Frds-global-bundle\.pem$/);
  });

  it('refuses DATABASE_URL and DB_HOST together', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://a@b/c', DB_HOST: 'h' })[0]).toMatch(/^DB_HOST: set either DATABASE_URL or DB_HOST/);
  });
});

describe('exposure check', () => {
  it('knows loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1', '::ffff:10.0.0.1'])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses AUTH_MODE=none off loopback unless ALLOW_ANONYMOUS=true', () => {
    const auth = (mode: 'none' | 'token', allowAnonymous = false) => ({ mode, allowAnonymous });
    expect(exposureProblem({ host: '127.0.0.1', auth: auth('none') })).toBeNull();
    expect(exposureProblem({ host: '0.0.0.0', auth: auth('none') })).toMatch(/AUTH_MODE=none on HOST=0\.0\.0\.0.*ALLOW_ANONYMOUS=true/);
    expect(exposureProblem({ host: '0.0.0.0', auth: auth('none', true) })).toBeNull();
    expect(exposureProblem({ host: '0.0.0.0', auth: auth('token') })).toBeNull();
  });
});
