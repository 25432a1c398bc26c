import { ROLES, type DeployResult, type Role } from './api-types.js';

export type Verb = 'approve' | 'reject' | 'promote' | 'abort' | 'rollback';

interface VerbRule {
  /** the role the API requires (README, "cutover serve", Roles) */
  role: Role;
  /** the states the verb leaves (README, "Deploy states") */
  states: readonly DeployResult['state'][];
  /** what happens, for the confirm step */
  effect: string;
}

export const VERBS: Record<Verb, VerbRule> = {
  approve: {
    role: 'approver',
    states: ['awaiting_approval'],
    effect: 'ships it to its approval target as a new deploy',
  },
  reject: {
    role: 'approver',
    states: ['awaiting_approval'],
    effect: 'closes it without shipping',
  },
  promote: { role: 'deployer', states: ['paused'], effect: 'takes the canary to 100 %' },
  abort: {
    role: 'deployer',
    states: ['paused'],
    effect: 'rolls the canary back: traffic and flag as before',
  },
  rollback: {
    role: 'deployer',
    states: ['success', 'rollback_failed'],
    effect: 'puts back what served before it',
  },
};

/** Why `verb` cannot be used on `result` by `role`, or null when it can. */
export function whyNot(verb: Verb, role: Role, result: DeployResult): string | null {
  const rule = VERBS[verb];
  if (ROLES.indexOf(role) < ROLES.indexOf(rule.role)) return `needs the ${rule.role} role`;
  if (!rule.states.includes(result.state)) return `not while ${result.state.replace('_', ' ')}`;
  return null;
}
