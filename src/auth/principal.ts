/** Who is calling, as every route and repository sees it once authentication has run. */
export type Role = 'agent' | 'admin';
export type AuthMethod = 'none' | 'alb-oidc' | 'token';

export interface Principal {
  /**
   * Owner key of conversations, feedback and usage rows. `null` is the anonymous single user of
   * AUTH_MODE=none; token users are `token:<name>`, ALB/OIDC users their `sub` claim.
   */
  userId: string | null;
  role: Role;
  method: AuthMethod;
  /** For logs and the UI: email, token name or "anonymous". */
  displayName: string;
  email?: string;
  groups: string[];
}

/** AUTH_MODE=none: one local user who may do everything (only allowed on loopback unless opted in). */
export const ANONYMOUS_ADMIN: Readonly<Principal> = Object.freeze({
  userId: null,
  role: 'admin',
  method: 'none',
  displayName: 'anonymous',
  groups: [],
});

/** admin when any of the user's groups is an admin group, else agent. Case-sensitive, like IdP group names. */
export function roleForGroups(groups: readonly string[], adminGroups: readonly string[]): Role {
  return groups.some((group) => adminGroups.includes(group)) ? 'admin' : 'agent';
}

export function isAdmin(principal: Pick<Principal, 'role'>): boolean {
  return principal.role === 'admin';
}
