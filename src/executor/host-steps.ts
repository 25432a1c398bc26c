import { toCutoverError } from '../core/errors.js';
import type { HostSteps } from '../ports/target.js';
import type { ExecutorContext } from './context.js';
import type { DeployRecorder } from './recorder.js';

/**
 * Journals each host of a multi-host target as it changes: `HOST_APPLY_START` (with what the host
 * served, which is what undoes it) is durable before the host is touched.
 */
export function journaledHostSteps(
  ctx: ExecutorContext,
  rec: DeployRecorder,
  environment: string,
): HostSteps {
  const failure = (err: unknown) => {
    const e = toCutoverError(err, 'E_APPLY_FAILED');
    return { code: e.code, reason: e.message };
  };
  return {
    starting: async (host, previous) => {
      await rec.record({ type: 'HOST_APPLY_START', environment, host, previous });
      ctx.progress(`    ${host}: changing`);
    },
    applied: async (host, current) => {
      await rec.record({ type: 'HOST_APPLY_SUCCESS', environment, host, current });
      ctx.progress(
        `    ${host}: ${current.versions.map((v) => `${v.release.tag} ${v.weight} %`).join(', ')}`,
      );
    },
    failed: async (host, err) => {
      const f = failure(err);
      await rec.record({ type: 'HOST_APPLY_FAILED', environment, host, ...f });
      ctx.progress(`    ${host} FAILED: ${f.code}: ${f.reason}`);
    },
    restored: async (host) => {
      await rec.record({ type: 'HOST_RESTORED', environment, host });
      ctx.progress(`    ${host}: restored`);
    },
    unreconciled: async (host, err) => {
      const f = failure(err);
      await rec.record({ type: 'HOST_UNRECONCILED', environment, host, ...f });
      ctx.progress(`    ${host} UNRECONCILED: ${f.code}: ${f.reason}`);
    },
  };
}
