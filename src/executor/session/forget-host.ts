import { CutoverError } from '../../core/errors.js';
import { unreconciledHosts } from '../../core/host-state.js';
import { openDeploys } from '../open-deploys.js';
import { withEnvironment, type SessionContext, type SessionPolicy } from './session.js';

/**
 * `cutover hosts forget`: an operator's decision, journaled, that an unreconciled host will not
 * be put back by cutover (it was rebuilt, or retired). Only a host some deploy left unreconciled
 * can be forgotten; the environment then takes deploys again once no other host is left.
 */
export async function forgetHost(
  ctx: SessionContext,
  o: SessionPolicy & { environment: string; host: string; reason: string },
): Promise<string[]> {
  return withEnvironment(
    ctx,
    o.environment,
    { ...o, command: 'hosts forget', reason: `forget ${o.host}`, afterFailedRecovery: true },
    async () => {
      const forgotten: string[] = [];
      for (const rec of await openDeploys(ctx)) {
        if (rec.state.request?.apply_environment !== o.environment) continue;
        if (!unreconciledHosts(rec.state).includes(o.host)) continue;
        await rec.record({
          type: 'HOST_FORGOTTEN',
          environment: o.environment,
          host: o.host,
          by: ctx.actor,
          reason: o.reason,
        });
        forgotten.push(rec.deployId);
      }
      if (forgotten.length === 0)
        throw new CutoverError(
          'E_NOT_FOUND',
          `${o.host} is not unreconciled in ${o.environment}: no deploy left it so (cutover status lists each deploy's hosts)`,
        );
      return forgotten;
    },
  );
}
