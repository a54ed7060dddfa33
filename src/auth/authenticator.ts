import type { AuthMode, AuthSettings } from '../config/security-settings.js';
import { AlbOidcVerifier } from './alb-oidc.js';
import { bearerToken, looksLikeApiToken } from './api-tokens.js';
import { AuthenticationError } from './errors.js';
import { ANONYMOUS_ADMIN, type Principal, type Role } from './principal.js';

/** The credentials a request may carry; header names as the ALB and RFC 6750 spell them. */
export interface RequestCredentials {
  authorization?: string | undefined;
  /** `x-amzn-oidc-data` */
  oidcData?: string | undefined;
}

/**
 * Turns a request's credentials into a Principal, or throws AuthenticationError (→ 401) or
 * AuthenticationUnavailableError (→ 503). Database errors from the token lookup propagate as they
 * are (→ 503 database_unavailable).
 */
export interface Authenticator {
  readonly mode: AuthMode;
  authenticate(credentials: RequestCredentials): Promise<Principal>;
}

/** What token authentication needs from the token store (src/store/tokens.ts implements it). */
export interface TokenLookup {
  findByToken(
    token: string,
  ): Promise<{ id: string; name: string; role: Role; revokedAt: string | null; lastUsedAt: string | null } | undefined>;
  touch(info: { id: string; lastUsedAt: string | null }): Promise<void>;
}

export function noneAuthenticator(): Authenticator {
  return { mode: 'none', authenticate: async () => ANONYMOUS_ADMIN };
}

export function albOidcAuthenticator(verifier: AlbOidcVerifier): Authenticator {
  return { mode: 'alb-oidc', authenticate: (credentials) => verifier.verify(credentials.oidcData) };
}

export function tokenAuthenticator(tokens: TokenLookup, onTouchError: (error: unknown) => void = () => undefined): Authenticator {
  return {
    mode: 'token',
    async authenticate(credentials) {
      const token = bearerToken(credentials.authorization);
      if (token === undefined) throw new AuthenticationError('missing', 'no Authorization header');
      if (token === null || !looksLikeApiToken(token))
        throw new AuthenticationError('malformed', 'the Authorization header is not "Bearer dn_…"');
      const info = await tokens.findByToken(token);
      if (!info) throw new AuthenticationError('unknown_token', 'unknown token');
      if (info.revokedAt !== null) throw new AuthenticationError('revoked', `token "${info.name}" was revoked at ${info.revokedAt}`);
      tokens.touch(info).catch(onTouchError);
      return { userId: `token:${info.name}`, role: info.role, method: 'token', displayName: info.name, groups: [] };
    },
  };
}

export interface AuthenticatorDependencies {
  tokens?: TokenLookup | undefined;
  fetch?: typeof fetch;
  onTouchError?: (error: unknown) => void;
}

/** The authenticator for AUTH_MODE, built once at start-up. */
export function createAuthenticator(settings: AuthSettings, deps: AuthenticatorDependencies = {}): Authenticator {
  switch (settings.mode) {
    case 'none':
      return noneAuthenticator();
    case 'alb-oidc':
      if (!settings.albArn) throw new Error('AUTH_MODE=alb-oidc needs ALB_ARN');
      return albOidcAuthenticator(
        new AlbOidcVerifier({
          albArn: settings.albArn,
          keyUrlTemplate: settings.albKeyUrl,
          groupsClaim: settings.groupsClaim,
          adminGroups: settings.adminGroups,
          adminEmails: settings.adminEmails,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        }),
      );
    case 'token':
      if (!deps.tokens) throw new Error('AUTH_MODE=token needs the token store');
      return tokenAuthenticator(deps.tokens, deps.onTouchError);
  }
}
