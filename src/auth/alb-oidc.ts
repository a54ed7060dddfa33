import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { AuthenticationError, AuthenticationUnavailableError } from './errors.js';
import { roleForGroups, type Principal } from './principal.js';

/**
 * Verifies the `x-amzn-oidc-data` header an Application Load Balancer adds after its
 * authenticate-oidc / authenticate-cognito action.
 *
 * Why node:crypto and not a JWT library (jose, jsonwebtoken, aws-jwt-verify before 4.0.2):
 * the ALB base64url-encodes the three segments *with* `=` padding, which RFC 7515 forbids, and
 * signs the padded `header.payload` text. Strict JWS decoders reject the token, and stripping the
 * padding first breaks the signature (the signing input changes). Verifying the raw segments with
 * node:crypto is a few lines, needs no dependency, and accepts padded and unpadded tokens alike.
 *
 * Checks, in order: shape, alg === ES256, signer === the configured ALB ARN (before any key fetch,
 * so forged headers cannot make us fetch arbitrary key ids for someone else's ALB), header exp, the
 * ES256 signature (raw r||s, 64 bytes) with the ALB's regional public key for `kid`, payload exp,
 * and a `sub` claim.
 */

export interface AlbOidcOptions {
  /** The ALB that must have signed the header. */
  albArn: string;
  /** With `{region}` (taken from albArn) and `{kid}`. */
  keyUrlTemplate: string;
  /** Claim holding the groups (Cognito: `cognito:groups`); `groups` is read too. */
  groupsClaim: string;
  adminGroups: string[];
  /**
   * E-mails (lower case) of admins. Cognito puts the userinfo claims into x-amzn-oidc-data, and
   * those have no `cognito:groups`, so group mapping alone never finds a Cognito admin.
   */
  adminEmails?: string[];
  fetch?: typeof fetch;
  keyFetchTimeoutMs?: number;
  maxCachedKeys?: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/** ALB key ids are UUIDs; anything else is refused before it goes near a URL. */
const KID = /^[A-Za-z0-9._-]{1,128}$/;
/** base64url, optionally with the ALB's `=` padding. */
const SEGMENT = /^[A-Za-z0-9_-]+={0,2}$/;
const MAX_HEADER_CHARS = 16 * 1024;
const MAX_PEM_CHARS = 8 * 1024;
/** A key id the endpoint said does not exist is not asked for again for this long. */
const MISSING_KEY_TTL_MS = 60_000;

function decodeSegment(segment: string): Buffer {
  return Buffer.from(segment.replace(/=+$/, ''), 'base64url');
}

function parseJsonObject(segment: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeSegment(segment).toString('utf8'));
  } catch {
    throw new AuthenticationError('malformed', `the ${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AuthenticationError('malformed', `the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function groupsFrom(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string' && g !== '');
  // Some IdPs send one string ("a,b" or "[a, b]" or "a b").
  if (typeof value === 'string')
    return value
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter(Boolean);
  return [];
}

/** Public keys per key id: bounded, least recently used evicted, one fetch in flight per kid. */
export class AlbKeyStore {
  private readonly keys = new Map<string, KeyObject>();
  private readonly missing = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<KeyObject>>();
  private readonly fetchImpl: typeof fetch;

  constructor(
    private readonly urlFor: (kid: string) => string,
    private readonly options: { fetch?: typeof fetch; timeoutMs?: number; maxKeys?: number; now?: () => number } = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  get size(): number {
    return this.keys.size;
  }

  async get(kid: string): Promise<KeyObject> {
    const cached = this.keys.get(kid);
    if (cached) {
      this.keys.delete(kid);
      this.keys.set(kid, cached);
      return cached;
    }
    const now = (this.options.now ?? Date.now)();
    const missingUntil = this.missing.get(kid);
    if (missingUntil !== undefined && missingUntil > now) throw new AuthenticationError('unknown_key', `no ALB public key for kid ${kid}`);
    let pending = this.inFlight.get(kid);
    if (!pending) {
      pending = this.fetchKey(kid).finally(() => this.inFlight.delete(kid));
      this.inFlight.set(kid, pending);
    }
    return pending;
  }

  private async fetchKey(kid: string): Promise<KeyObject> {
    const url = this.urlFor(kid);
    let response: Response;
    try {
      response = await this.fetchImpl(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000), redirect: 'error' });
    } catch (error) {
      throw new AuthenticationUnavailableError(`the ALB public key endpoint could not be reached (${url})`, error);
    }
    if (response.status === 404 || response.status === 403) {
      await response.body?.cancel();
      this.remember(this.missing, kid, (this.options.now ?? Date.now)() + MISSING_KEY_TTL_MS);
      throw new AuthenticationError('unknown_key', `no ALB public key for kid ${kid} (HTTP ${response.status})`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AuthenticationUnavailableError(`the ALB public key endpoint answered HTTP ${response.status} (${url})`);
    }
    const pem = await response.text();
    let key: KeyObject;
    try {
      if (pem.length > MAX_PEM_CHARS) throw new Error('too long');
      key = createPublicKey(pem);
    } catch {
      throw new AuthenticationUnavailableError(`the ALB public key endpoint returned something that is not a PEM public key (${url})`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new AuthenticationUnavailableError(`the ALB public key for kid ${kid} is not a P-256 key`);
    }
    this.remember(this.keys, kid, key);
    return key;
  }

  private remember<V>(map: Map<string, V>, kid: string, value: V): void {
    map.delete(kid);
    map.set(kid, value);
    const max = this.options.maxKeys ?? 64;
    while (map.size > max) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}

export function albRegion(albArn: string): string {
  const region = albArn.split(':')[3];
  if (!region) throw new Error(`not an ALB ARN: ${albArn}`);
  return region;
}

export class AlbOidcVerifier {
  private readonly keyStore: AlbKeyStore;
  private readonly now: () => number;

  constructor(private readonly options: AlbOidcOptions) {
    const region = albRegion(options.albArn);
    this.now = options.now ?? Date.now;
    this.keyStore = new AlbKeyStore(
      (kid) => options.keyUrlTemplate.replaceAll('{region}', region).replaceAll('{kid}', encodeURIComponent(kid)),
      { fetch: options.fetch, timeoutMs: options.keyFetchTimeoutMs, maxKeys: options.maxCachedKeys, now: this.now },
    );
  }

  get cachedKeys(): number {
    return this.keyStore.size;
  }

  async verify(headerValue: string | undefined): Promise<Principal> {
    if (headerValue === undefined || headerValue.trim() === '') throw new AuthenticationError('missing', 'no x-amzn-oidc-data header');
    if (headerValue.length > MAX_HEADER_CHARS) throw new AuthenticationError('malformed', 'x-amzn-oidc-data is too long');
    const segments = headerValue.trim().split('.');
    if (segments.length !== 3 || !segments.every((s) => SEGMENT.test(s)))
      throw new AuthenticationError('malformed', 'x-amzn-oidc-data is not header.payload.signature');
    const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];

    const header = parseJsonObject(headerSegment, 'JWT header');
    if (header.alg !== 'ES256') throw new AuthenticationError('unsupported_algorithm', `alg ${JSON.stringify(header.alg)} is not ES256`);
    if (header.signer !== this.options.albArn)
      throw new AuthenticationError('wrong_signer', `signed by ${JSON.stringify(header.signer)}, not the configured ALB`);
    const nowSeconds = this.now() / 1000;
    if (header.exp !== undefined && (typeof header.exp !== 'number' || header.exp <= nowSeconds))
      throw new AuthenticationError('expired', 'the header exp has passed');
    if (typeof header.kid !== 'string' || !KID.test(header.kid)) throw new AuthenticationError('malformed', 'missing or invalid kid');

    const signature = decodeSegment(signatureSegment);
    if (signature.length !== 64) throw new AuthenticationError('bad_signature', 'an ES256 signature is 64 bytes');
    const key = await this.keyStore.get(header.kid);
    // The signing input is the text as sent, padding included (see the comment at the top).
    const signed = Buffer.from(`${headerSegment}.${payloadSegment}`, 'ascii');
    if (!verifySignature('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, signature)) {
      throw new AuthenticationError('bad_signature', 'the signature does not match');
    }

    const claims = parseJsonObject(payloadSegment, 'JWT payload');
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds)
      throw new AuthenticationError('expired', 'the token has expired (or carries no exp)');
    if (typeof claims.sub !== 'string' || claims.sub === '' || claims.sub.length > 256)
      throw new AuthenticationError('missing_subject', 'no sub claim');
    const groups = [...new Set([...groupsFrom(claims[this.options.groupsClaim]), ...groupsFrom(claims.groups)])];
    const email = typeof claims.email === 'string' && claims.email.length <= 320 ? claims.email : undefined;
    return {
      userId: claims.sub,
      role: email && this.options.adminEmails?.includes(email.toLowerCase()) ? 'admin' : roleForGroups(groups, this.options.adminGroups),
      method: 'alb-oidc',
      displayName: email ?? (typeof claims.username === 'string' ? claims.username : claims.sub),
      ...(email ? { email } : {}),
      groups,
    };
  }
}
