import { z } from 'zod';
import type { Identity } from '../service/identity.js';
import { parseInput } from '../service/inputs.js';
import type { Service } from '../service/service.js';
import { deployId, type ToolName } from './tool-schemas.js';

/** What a client may assume of a tool (MCP tool annotations). */
interface Hints {
  readOnlyHint: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
}

export interface McpTool {
  description: string;
  hints: Hints;
  /** runs the service's operation as `who` with the tool's raw arguments; the service validates them */
  call(service: Service, who: Identity, args: Record<string, unknown>): Promise<unknown>;
}

const reads: Hints = { readOnlyHint: true };
const acts: Hints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false };

/**
 * A verb on one deploy: its id apart (the HTTP API's path), the rest the verb's own body, which
 * the service validates. Errors name the arguments `body`, as the service's own do.
 */
function onDeploy(args: Record<string, unknown>): [string, Record<string, unknown>] {
  const { deploy_id, ...body } = args;
  parseInput(z.looseObject({ deploy_id: deployId }), { deploy_id }, 'body');
  return [deploy_id as string, body];
}

/** A read of one deploy: nothing but its id. */
const idOnly = (args: Record<string, unknown>): string =>
  parseInput(z.strictObject({ deploy_id: deployId }), args, 'body').deploy_id;

const FOLLOW = 'poll `status` with its deploy_id until deploy_result.state is no longer "running"';

/**
 * The MCP tools of `cutover mcp`, each one operation of the service (src/service): the same role
 * check, validation, executor and journal as `cutover serve` and the CLI. Descriptions are what
 * an agent reads to choose a tool: they say what it changes and what to do next.
 */
export const TOOLS: Record<ToolName, McpTool> = {
  plan: {
    description:
      'Show the timeline a deploy with these arguments would follow (steps, weights, flag, observations, lock notes), read from the environment now. Changes nothing. Role: deployer.',
    hints: reads,
    call: (service, who, args) => service.plan(who, args),
  },
  deploy: {
    description: `Start a deploy of changesets (paths of changeset.yaml files on the server) to an environment with a strategy ("fast-track", "canary", "manual" or a strategy document). Answers {deploy_id} once the deploy is journaled; it runs on in the server: ${FOLLOW}. A held environment lock is E_LOCK_HELD. Role: deployer.`,
    hints: acts,
    call: (service, who, args) => service.deploy(who, args),
  },
  list: {
    description:
      'List deploys, newest first, with their state; filter by environment or state, page with limit/offset. Role: viewer.',
    hints: reads,
    call: (service, who, args) => service.list(who, args),
  },
  status: {
    description:
      'The deploy_result document of a deploy: status (success | failed | pending), version, environment, flag_status, actions_log, baseline_snapshot, and `state` (running, paused, awaiting_approval, success, failed, rolled_back, …) which says what verb may come next. Role: viewer.',
    hints: reads,
    call: (service, who, args) => service.status(who, idOnly(args)),
  },
  log: {
    description:
      "A deploy's journal events in order: each row's event.type (DEPLOY_REQUESTED, BUILD_START, …, DEPLOY_SUCCEEDED) and data, with who asked (requested_by, by). Role: viewer.",
    hints: reads,
    call: async (service, who, args) => ({ rows: await service.log(who, idOnly(args)) }),
  },
  approve: {
    description: `Approve a manual deploy in state awaiting_approval: ships it to its target environment as a new deploy, answered as {deploy_id} at once; ${FOLLOW}. Whoever started the deploy may not approve it where four eyes is on (E_SELF_APPROVAL). Role: approver.`,
    hints: acts,
    call: (service, who, args) => service.approve(who, ...onDeploy(args)),
  },
  reject: {
    description:
      'Reject a manual deploy in state awaiting_approval: it closes without shipping. Role: approver.',
    hints: acts,
    call: (service, who, args) => service.reject(who, ...onDeploy(args)),
  },
  promote: {
    description:
      'Promote a paused canary (state paused) to 100 %; runs to its end and answers the deploy_result. Role: deployer.',
    hints: acts,
    call: async (service, who, args) => ({ deploy_result: await service.promote(who, ...onDeploy(args)) }),
  },
  abort: {
    description:
      'Abort a paused canary: traffic and flag go back to the stable version (state rolled_back); answers the deploy_result. Role: deployer.',
    hints: acts,
    call: async (service, who, args) => ({ deploy_result: await service.abort(who, ...onDeploy(args)) }),
  },
  rollback: {
    description:
      'Roll back a finished deploy (state success, or retry a rollback_failed one): the previous version serves again and the flag is put back; answers the deploy_result (state rolled_back). Role: deployer.',
    hints: acts,
    call: async (service, who, args) => ({ deploy_result: await service.rollback(who, ...onDeploy(args)) }),
  },
};
