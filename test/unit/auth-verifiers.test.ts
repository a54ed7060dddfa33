import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlbKeyStore, AlbOidcVerifier } from '../../src/auth/alb-oidc.js';
import { bearerToken, generateApiToken, hashApiToken, hashesEqual, looksLikeApiToken } from '../../src/auth/api-tokens.js';
import { tokenAuthenticator } from '../../src/auth/authenticator.js';
import { AuthenticationError, AuthenticationUnavailableError } from '../../src/auth/errors.js';
import { roleForGroups } from '../../src/auth/principal.js';

const ARN = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/desk/0123456789abcdef';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

const b64 = (v: string | Buffer, padded = true) => {
  const t = Buffer.from(v).toString('base64url');
  return padded ? t.padEnd(Math.ceil(t.length / 4) * 4, '=') : t;
};
function token(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${b64(JSON.stringify({ alg: 'ES256', kid: 'kid-1', signer: ARN, ...header }))}.${b64(JSON.stringify(claims))}`;
  return `${input}.${b64(sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }))}`;
}
const later = () => Math.floor(Date.now() / 1000) + 60;

function fakeFetch(answer: (url: string) => Response | Promise<Response>) {
  const urls: string[] = [];
  const fn = (async (input: string | URL | Request) => {
    const url = input instanceof Request ? input.url : input.toString();
    urls.push(url);
    return answer(url);
  }) as typeof fetch;
  return { fn, urls };
}

const reason = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (error instanceof AuthenticationError) return error.reason;
    if (error instanceof AuthenticationUnavailableError) return 'unavailable';
    throw error;
  }
};

describe('AlbOidcVerifier', () => {
  const verifier = (fetchImpl: typeof fetch, extra: Partial<ConstructorParameters<typeof AlbOidcVerifier>[0]> = {}) =>
    new AlbOidcVerifier({
      albArn: ARN,
      keyUrlTemplate: 'https://keys.example/{region}/{kid}',
      groupsClaim: 'cognito:groups',
      adminGroups: ['admins'],
      fetch: fetchImpl,
      ...extra,
    });

  it('fills {region} from the ALB ARN and {kid} (URL-encoded) into the key URL, and reads the claims', async () => {
    const f = fakeFetch(() => new Response(PEM));
    const principal = await verifier(f.fn).verify(
      token({ sub: 'u-1', email: 'u@example.com', exp: later(), 'cognito:groups': ['agents', 'admins'] }),
    );
    expect(f.urls).toEqual(['https://keys.example/us-west-2/kid-1']);
    expect(principal).toEqual({
      userId: 'u-1',
      role: 'admin',
      method: 'alb-oidc',
      displayName: 'u@example.com',
      email: 'u@example.com',
      groups: ['agents', 'admins'],
    });
  });

  it('makes a user listed in ADMIN_EMAILS an admin without any group claim (Cognito userinfo has none)', async () => {
    const v = verifier(fakeFetch(() => new Response(PEM)).fn, { adminEmails: ['lead@example.com'] });
    expect((await v.verify(token({ sub: 'a', email: 'Lead@Example.com', exp: later() }))).role).toBe('admin');
    expect((await v.verify(token({ sub: 'b', email: 'agent@example.com', exp: later() }))).role).toBe('agent');
  });

  it('accepts groups as a string and from the plain `groups` claim', async () => {
    const v = verifier(fakeFetch(() => new Response(PEM)).fn);
    expect((await v.verify(token({ sub: 'u', exp: later(), groups: 'agents,admins' }))).role).toBe('admin');
    expect((await v.verify(token({ sub: 'u', exp: later(), 'cognito:groups': '[agents]' }))).groups).toEqual(['agents']);
    expect((await v.verify(token({ sub: 'u', exp: later() }))).role).toBe('agent');
  });

  it('refuses, with a reason for the log', async () => {
    const v = verifier(fakeFetch(() => new Response(PEM)).fn);
    expect(await reason(v.verify(undefined))).toBe('missing');
    expect(await reason(v.verify('x.y'))).toBe('malformed');
    expect(await reason(v.verify('a+b.c.d'))).toBe('malformed');
    expect(await reason(v.verify(token({ sub: 'u', exp: later() }, { alg: 'none' })))).toBe('unsupported_algorithm');
    expect(await reason(v.verify(token({ sub: 'u', exp: later() }, { signer: ARN.replace('desk', 'other') })))).toBe('wrong_signer');
    expect(await reason(v.verify(token({ sub: 'u', exp: 1 })))).toBe('expired');
    expect(await reason(v.verify(token({ sub: 'u', exp: later() }, { exp: 1 })))).toBe('expired');
    expect(await reason(v.verify(token({ exp: later() })))).toBe('missing_subject');
    expect(await reason(v.verify(token({ sub: 'u', exp: later() }, { kid: 'a/b' })))).toBe('malformed');
    const [h, p] = token({ sub: 'u', exp: later() }).split('.');
    expect(await reason(v.verify(`${h}.${p}.${b64(Buffer.alloc(64))}`))).toBe('bad_signature');
    expect(await reason(v.verify(`${h}.${p}.${b64(Buffer.alloc(70))}`))).toBe('bad_signature');
  });

  it('tells an unreachable or broken key endpoint (503) from an unknown key (401)', async () => {
    expect(
      await reason(verifier(fakeFetch(() => new Response('nope', { status: 404 })).fn).verify(token({ sub: 'u', exp: later() }))),
    ).toBe('unknown_key');
    expect(await reason(verifier(fakeFetch(() => new Response('x', { status: 500 })).fn).verify(token({ sub: 'u', exp: later() })))).toBe(
      'unavailable',
    );
    expect(await reason(verifier(fakeFetch(() => new Response('not a pem')).fn).verify(token({ sub: 'u', exp: later() })))).toBe(
      'unavailable',
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await reason(verifier(fakeFetch(() => new Response(rsa)).fn).verify(token({ sub: 'u', exp: later() })))).toBe('unavailable');
    expect(
      await reason(verifier(fakeFetch(() => Promise.reject(new TypeError('fetch failed'))).fn).verify(token({ sub: 'u', exp: later() }))),
    ).toBe('unavailable');
  });
});

describe('AlbKeyStore', () => {
  it('fetches each kid once even when asked concurrently, keeps at most maxKeys, and remembers missing kids for a while', async () => {
    let now = 0;
    const f = fakeFetch((url) => (url.endsWith('/missing') ? new Response('', { status: 404 }) : new Response(PEM)));
    const store = new AlbKeyStore((kid) => `https://keys/${kid}`, { fetch: f.fn, maxKeys: 2, now: () => now });
    await Promise.all([store.get('a'), store.get('a'), store.get('a')]);
    expect(f.urls).toEqual(['https://keys/a']);
    await store.get('b');
    await store.get('a'); // a is now the most recently used
    await store.get('c'); // evicts b
    expect(store.size).toBe(2);
    await store.get('a');
    await store.get('b');
    expect(f.urls).toEqual(['https://keys/a', 'https://keys/b', 'https://keys/c', 'https://keys/b']);
    await expect(store.get('missing')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(store.get('missing')).rejects.toBeInstanceOf(AuthenticationError);
    expect(f.urls.filter((u) => u.endsWith('/missing'))).toHaveLength(1);
    now += 61_000;
    await expect(store.get('missing')).rejects.toBeInstanceOf(AuthenticationError);
    expect(f.urls.filter((u) => u.endsWith('/missing'))).toHaveLength(2);
  });
});

describe('API tokens', () => {
  it('are dn_ + 43 base64url characters (256 bits), hashed as hex SHA-256', () => {
    const t = generateApiToken();
    expect(looksLikeApiToken(t)).toBe(true);
    expect(generateApiToken()).not.toBe(t);
    expect(hashApiToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashesEqual(hashApiToken(t), hashApiToken(t))).toBe(true);
    expect(hashesEqual(hashApiToken(t), hashApiToken(`${t}x`))).toBe(false);
    expect(hashesEqual('ab', 'abc')).toBe(false);
    expect(looksLikeApiToken('dn_short')).toBe(false);
    expect(looksLikeApiToken(`xx_${'a'.repeat(43)}`)).toBe(false);
  });

  it('are read from a Bearer authorization header only', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Bearer dn_abc')).toBe('dn_abc');
    expect(bearerToken('bearer   dn_abc ')).toBe('dn_abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
  });

  it("authenticate to token:<name> with the token's role; unknown and revoked tokens are refused", async () => {
    const good = generateApiToken();
    const revoked = generateApiToken();
    const touched: string[] = [];
    const auth = tokenAuthenticator({
      findByToken: async (t) =>
        t === good
          ? { id: '1', name: 'bot', role: 'admin', revokedAt: null, lastUsedAt: null }
          : t === revoked
            ? { id: '2', name: 'old', role: 'agent', revokedAt: '2026-01-01T00:00:00Z', lastUsedAt: null }
            : undefined,
      touch: async (info) => {
        touched.push(info.id);
      },
    });
    expect(await auth.authenticate({ authorization: `Bearer ${good}` })).toMatchObject({
      userId: 'token:bot',
      role: 'admin',
      method: 'token',
    });
    expect(touched).toEqual(['1']);
    expect(await reason(auth.authenticate({ authorization: `Bearer ${revoked}` }))).toBe('revoked');
    expect(await reason(auth.authenticate({ authorization: `Bearer ${generateApiToken()}` }))).toBe('unknown_token');
    expect(await reason(auth.authenticate({}))).toBe('missing');
    expect(await reason(auth.authenticate({ authorization: 'Bearer nope' }))).toBe('malformed');
  });
});

describe('roles', () => {
  it('admin when any group is an admin group (exact, case-sensitive)', () => {
    expect(roleForGroups(['a', 'dualnova-admins'], ['dualnova-admins'])).toBe('admin');
    expect(roleForGroups(['Dualnova-Admins'], ['dualnova-admins'])).toBe('agent');
    expect(roleForGroups([], ['dualnova-admins'])).toBe('agent');
  });
});
