import { CutoverError } from '../core/errors.js';
import { ROLES, type Role } from '../core/schema/tokens-config.js';

export type { Role } from '../core/schema/tokens-config.js';

/** Who asks: a token's name and role for `cutover serve`, the OS user (as admin) for the CLI. */
export interface Identity {
  name: string;
  role: Role;
}

/**
 * What each operation needs at least; the roles are ordered (ROLES), each allowed what the one
 * before it is. The table is the README's ("cutover serve", Roles): keep them together.
 */
export const REQUIRED_ROLE = {
  read: 'viewer',
  deploy: 'deployer',
  approve: 'approver',
  admin: 'admin',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof REQUIRED_ROLE;

/** Throws E_FORBIDDEN unless `who`'s role is at least the one `permission` needs. */
export function authorize(who: Identity, permission: Permission, what: string): void {
  const needed = REQUIRED_ROLE[permission];
  if (ROLES.indexOf(who.role) >= ROLES.indexOf(needed)) return;
  throw new CutoverError(
    'E_FORBIDDEN',
    `${what} needs the ${needed} role or above; ${who.name} is ${who.role}`,
  );
}
