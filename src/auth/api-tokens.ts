import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bearer API tokens: `dn_` + base64url of 32 random bytes (256 bits). Only the SHA-256 of a token
 * is stored; a plain hash (no salt, no slow KDF) is right for high-entropy random secrets, and lets
 * the database find the row by an indexed column.
 */
export const TOKEN_PREFIX = 'dn_';
const TOKEN_SHAPE = /^dn_[A-Za-z0-9_-]{43}$/;
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function generateApiToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function looksLikeApiToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

/** Lower-case hex SHA-256, 64 characters. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes (the lookup by hash is a convenience; this is the check). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The token from `Authorization: Bearer <token>`, or undefined when the header is absent. */
export function bearerToken(authorization: string | undefined): string | undefined | null {
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}
