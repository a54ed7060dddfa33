import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf } from '../../src/contract/sse.js';
import { startFakeAlb, newKeyPair, type FakeAlb } from '../fakes/auth-alb.js';
import { call, chat, startSecuredApp, type SecuredApp } from '../helpers/security-app.js';

const UNAUTHORIZED = { error: { code: 'unauthorized' } };

describe('AUTH_MODE=alb-oidc: x-amzn-oidc-data verified with the ALB key (ES256) from a fake key endpoint', () => {
  let alb: FakeAlb;
  let app: SecuredApp;
  const get = (data: string | undefined, path = '/api/conversations') =>
    call(`${app.url}${path}`, data === undefined ? {} : { headers: { 'x-amzn-oidc-data': data } });

  beforeAll(async () => {
    alb = await startFakeAlb();
    app = await startSecuredApp({
      AUTH_MODE: 'alb-oidc',
      ALB_ARN: alb.arn,
      ALB_KEY_URL: alb.keyUrl,
      ADMIN_GROUPS: 'dualnova-admins,leads',
      HOST: '0.0.0.0',
    });
  });
  afterAll(async () => {
    await app?.close();
    await alb?.close();
  });

  it('accepts a valid header as the ALB sends it (padded segments) and fetches the key once per kid', async () => {
    alb.keyRequests.length = 0;
    const valid = await get(alb.sign(alb.claims('alice-sub')));
    expect(valid.status).toBe(200);
    expect(valid.json).toEqual({ conversations: [] });
    expect((await get(alb.sign(alb.claims('alice-sub')))).status).toBe(200);
    expect(alb.keyRequests).toEqual([`/eu-west-1/${alb.kid}`]);
  });

  it('accepts unpadded segments too', async () => {
    expect((await get(alb.sign(alb.claims('alice-sub'), { padded: false }))).status).toBe(200);
  });

  it('refuses an expired token (payload exp or header exp)', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    const expiredPayload = await get(alb.sign(alb.claims('alice-sub', { exp: past })));
    expect(expiredPayload.status).toBe(401);
    expect(expiredPayload.json).toMatchObject(UNAUTHORIZED);
    expect((await get(alb.sign(alb.claims('alice-sub'), { header: { exp: past } }))).status).toBe(401);
    expect((await get(alb.sign(alb.claims('alice-sub', { exp: undefined })))).status).toBe(401);
  });

  it('refuses a token signed by another load balancer, without fetching any key for it', async () => {
    alb.keyRequests.length = 0;
    const other = alb.arn.replace('50dc6c495c0c9188', 'aaaaaaaaaaaaaaaa');
    const response = await get(alb.sign(alb.claims('alice-sub'), { header: { signer: other, kid: 'another-kid' } }));
    expect(response.status).toBe(401);
    expect(alb.keyRequests).toEqual([]);
  });

  it('refuses a tampered token: changed claims, forged signature, wrong key, alg none', async () => {
    const token = alb.sign(alb.claims('alice-sub'));
    const [h, p, s] = token.split('.') as [string, string, string];
    const forgedClaims = Buffer.from(JSON.stringify(alb.claims('mallory', { 'cognito:groups': ['dualnova-admins'] }))).toString(
      'base64url',
    );
    expect((await get(`${h}.${forgedClaims}.${s}`)).status).toBe(401);
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    expect((await get(`${h}.${p}.${flipped}`)).status).toBe(401);
    expect((await get(alb.sign(alb.claims('alice-sub'), { privateKey: newKeyPair().privateKey }))).status).toBe(401);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: alb.kid, signer: alb.arn })).toString('base64url')}.${p}.`;
    expect((await get(none)).status).toBe(401);
    expect((await get(alb.sign(alb.claims('alice-sub'), { header: { alg: 'HS256' } }))).status).toBe(401);
  });

  it('refuses a missing or malformed header, and a kid that is not a plain id', async () => {
    alb.keyRequests.length = 0;
    const missing = await get(undefined);
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject(UNAUTHORIZED);
    // One body for every reason: a prober learns nothing about why a forged header failed.
    const badSignature = await get(alb.sign(alb.claims('alice-sub'), { privateKey: newKeyPair().privateKey }));
    expect(badSignature.text).toBe(missing.text);
    expect((await get('not-a-jwt')).status).toBe(401);
    expect((await get('a.b.c.d')).status).toBe(401);
    expect((await get(alb.sign(alb.claims('alice-sub'), { header: { kid: '../../etc/passwd' } }))).status).toBe(401);
    expect((await get(alb.sign({ exp: Math.floor(Date.now() / 1000) + 60 }))).status).toBe(401);
    expect(alb.keyRequests).toEqual([]);
  });

  it('answers 401 for an unknown kid, and 503 (not 401) when the key endpoint is failing', async () => {
    expect((await get(alb.sign(alb.claims('alice-sub'), { header: { kid: 'unknown-kid-1' } }))).status).toBe(401);
    alb.failWith(500);
    try {
      const failing = await get(alb.sign(alb.claims('alice-sub'), { header: { kid: 'unknown-kid-2' } }));
      expect(failing.status).toBe(503);
      expect(failing.json).toMatchObject({ error: { code: 'authentication_unavailable' } });
      // The cached key for the real kid keeps working while the endpoint is down.
      expect((await get(alb.sign(alb.claims('alice-sub')))).status).toBe(200);
    } finally {
      alb.failWith(undefined);
    }
  });

  it('maps groups to roles: admin groups get admin endpoints, everyone else is an agent', async () => {
    const agent = alb.sign(alb.claims('agent-sub', { 'cognito:groups': ['support'] }));
    const admin = alb.sign(alb.claims('admin-sub', { 'cognito:groups': ['support', 'dualnova-admins'] }));
    const leadByGroupsClaim = alb.sign(alb.claims('lead-sub', { groups: ['leads'] }));
    expect((await get(agent, '/api/feedback')).status).toBe(403);
    expect((await get(agent, '/api/feedback')).json).toMatchObject({ error: { code: 'forbidden' } });
    expect((await get(admin, '/api/feedback')).status).toBe(200);
    expect((await get(leadByGroupsClaim, '/api/feedback')).status).toBe(200);
    expect((await get(agent, '/api/admin/metrics')).status).toBe(403);
    expect((await get(admin, '/api/admin/metrics')).status).toBe(200);
  });

  it('keeps health checks open and chats as the signed-in user', async () => {
    expect((await call(`${app.url}/healthz`)).status).toBe(200);
    expect((await call(`${app.url}/readyz`)).status).toBe(200);
    const anonymous = await chat(app.url, { message: '환불 규정', uiLanguage: 'ko' });
    expect(anonymous.status).toBe(401);
    const signedIn = await chat(
      app.url,
      { message: '환불 규정', uiLanguage: 'ko' },
      { 'x-amzn-oidc-data': alb.sign(alb.claims('carol-sub')) },
    );
    expect(signedIn.status).toBe(200);
    const conversationId = dataOf(signedIn.events, 'meta')?.conversationId as string;
    const row = await app.runtime.store.db
      .selectFrom('conversations')
      .select('user_id')
      .where('id', '=', conversationId)
      .executeTakeFirst();
    expect(row?.user_id).toBe('carol-sub');
  });
});

describe('AUTH_MODE=token: bearer API tokens stored hashed', () => {
  let app: SecuredApp;
  let agentToken: string;
  let adminToken: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await startSecuredApp({ AUTH_MODE: 'token' });
    agentToken = (await app.tokens.create({ name: 'alice', role: 'agent' })).token;
    adminToken = (await app.tokens.create({ name: 'lead', role: 'admin' })).token;
  });
  afterAll(async () => app?.close());

  it('accepts a valid token and stores only its SHA-256', async () => {
    expect(agentToken).toMatch(/^dn_[A-Za-z0-9_-]{43}$/);
    const response = await call(`${app.url}/api/conversations`, { headers: auth(agentToken) });
    expect(response.status).toBe(200);
    const rows = await app.runtime.store.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows.map((r) => r.token_hash).every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(agentToken.slice(3));
    for (let i = 0; i < 50 && (await app.tokens.list()).find((t) => t.name === 'alice')?.lastUsedAt === null; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect((await app.tokens.list()).find((t) => t.name === 'alice')?.lastUsedAt).not.toBeNull();
  });

  it('refuses missing, malformed, unknown and tampered tokens with 401 and a WWW-Authenticate challenge', async () => {
    const missing = await call(`${app.url}/api/conversations`);
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject(UNAUTHORIZED);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect((await call(`${app.url}/api/conversations`, { headers: { authorization: 'Basic YWxpY2U6eA==' } })).status).toBe(401);
    expect((await call(`${app.url}/api/conversations`, { headers: auth('dn_short') })).status).toBe(401);
    expect((await call(`${app.url}/api/conversations`, { headers: auth(`dn_${'A'.repeat(43)}`) })).status).toBe(401);
    const tampered = `${agentToken.slice(0, -1)}${agentToken.endsWith('A') ? 'B' : 'A'}`;
    expect((await call(`${app.url}/api/conversations`, { headers: auth(tampered) })).status).toBe(401);
  });

  it('refuses a revoked token at once', async () => {
    const { token } = await app.tokens.create({ name: 'temp', role: 'agent' });
    expect((await call(`${app.url}/api/conversations`, { headers: auth(token) })).status).toBe(200);
    expect(await app.tokens.revoke('temp')).toBe(true);
    expect((await call(`${app.url}/api/conversations`, { headers: auth(token) })).status).toBe(401);
    expect(await app.tokens.revoke('temp')).toBe(false);
  });

  it('lets admins manage tokens over the API, and only admins', async () => {
    expect((await call(`${app.url}/api/admin/tokens`, { headers: auth(agentToken) })).status).toBe(403);
    const created = await call(`${app.url}/api/admin/tokens`, {
      method: 'POST',
      headers: auth(adminToken),
      json: { name: 'bot-1', role: 'agent' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const token = created.json.token as string;
    expect((await call(`${app.url}/api/conversations`, { headers: auth(token) })).status).toBe(200);
    const listed = await call(`${app.url}/api/admin/tokens`, { headers: auth(adminToken) });
    expect(listed.json.tokens.map((t: { name: string }) => t.name)).toContain('bot-1');
    expect(listed.text).not.toContain(token);
    expect(listed.text).not.toMatch(/[0-9a-f]{64}/);
    expect(
      (await call(`${app.url}/api/admin/tokens`, { method: 'POST', headers: auth(adminToken), json: { name: 'bot-1', role: 'agent' } }))
        .status,
    ).toBe(400);
    expect(
      (await call(`${app.url}/api/admin/tokens`, { method: 'POST', headers: auth(adminToken), json: { name: '../x', role: 'agent' } }))
        .status,
    ).toBe(400);
    expect((await call(`${app.url}/api/admin/tokens/bot-1`, { method: 'DELETE', headers: auth(agentToken) })).status).toBe(403);
    expect((await call(`${app.url}/api/admin/tokens/bot-1`, { method: 'DELETE', headers: auth(adminToken) })).status).toBe(204);
    expect((await call(`${app.url}/api/conversations`, { headers: auth(token) })).status).toBe(401);
  });
});

describe('AUTH_MODE=none', () => {
  let app: SecuredApp;
  beforeAll(async () => {
    app = await startSecuredApp({ AUTH_MODE: 'none' });
  });
  afterAll(async () => app?.close());

  it('is the anonymous single user with the admin role (loopback only; see security-settings tests)', async () => {
    expect((await call(`${app.url}/api/conversations`)).status).toBe(200);
    expect((await call(`${app.url}/api/feedback`)).status).toBe(200);
    const status = await call(`${app.url}/api/status`);
    expect(status.json.dependencies.some((d: { detail: string }) => d.detail !== '')).toBe(true);
  });
});
