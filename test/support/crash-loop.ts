import assert from 'node:assert/strict';
import type { CliRun } from './cli.js';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { daemonStatus } from '../../src/runtime/client/daemon-control.js';
import { startTraffic } from './traffic.js';

type Cli = (args: string[], env?: NodeJS.ProcessEnv) => Promise<CliRun>;

export interface CrashLoopOptions {
  cli: Cli;
  stateDir: string;
  url: string;
  /** the deploy command to crash, without --output */
  deploy: string[];
  /** flags whose state must be exactly as before whenever a deploy is rolled back */
  flags: string[];
  /** `after-append` (the step announced, not done) or `before-append` (done, not recorded) */
  when?: 'after-append' | 'before-append';
  /** kill points to try; default every one until the deploy runs to its end */
  points?: number[];
  /** what the environment serves, compared before and after each crash; default the local runtime's */
  serving?: () => Promise<unknown>;
}

// Read in-process rather than through the CLI: the loop checks after every one of ~100 kills.
async function servingNow(stateDir: string): Promise<Record<string, number>> {
  const status = await daemonStatus(stateDir);
  assert.ok(status.running, 'the runtime daemon must keep running through every crash');
  const env = status.environments?.find((e) => e.environment === 'production');
  const out: Record<string, number> = {};
  for (const v of env?.versions ?? []) if (v.weight > 0) out[v.release.tag] = v.weight;
  return out;
}

/** Each flag's production state; a flag never set there reads as off 0 %, as the store says. */
function flagStates(stateDir: string, names: string[]): unknown {
  const db = new Database(join(stateDir, 'flags.db'), { readonly: true });
  try {
    const get = db.prepare<[string], { state: string; percentage: number }>(
      "SELECT state, percentage FROM flag_states WHERE environment = 'production' AND flag = ?",
    );
    return names.map((name) => {
      const row = get.get(name);
      return [name, row ? `${row.state} ${row.percentage}` : 'off 0'];
    });
  } finally {
    db.close();
  }
}

function whyFailed(run: CliRun): string {
  let reason = '';
  try {
    const r = JSON.parse(run.stdout).deploy_result;
    reason = `${r.failed_step ?? ''} ${r.reason ?? ''} ${JSON.stringify(r.batches ?? r.analysis ?? [])}`;
  } catch {
    reason = '(no JSON result)';
  }
  return `exit ${run.code}: ${reason}\n${run.stderr.split('\n').slice(-15).join('\n')}`;
}

/**
 * Ids of the deploys that ended with nothing failed: `success`, or a canary `paused` at its step
 * (a takeover may be journaled after their last step).
 */
async function succeededDeploys(cli: Cli): Promise<string[]> {
  const run = await cli(['status', '--output', 'json']);
  const deploys = JSON.parse(run.stdout) as Array<{ deploy_id: string; state: string }>;
  return deploys.filter((d) => d.state === 'success' || d.state === 'paused').map((d) => d.deploy_id);
}

/**
 * Kills the deploy (SIGKILL, via CUTOVER_FAILPOINT) at its 1st, 2nd, … journal append until one
 * run gets through; after each kill `cutover recover` must leave the environment either exactly
 * as before (deploy rolled back: traffic and flags) or fully on the new version (deploy finished),
 * while generated traffic never sees a failed request. Returns how many crash points it covered.
 */
export async function crashAtEveryBoundary(o: CrashLoopOptions): Promise<number> {
  const when = o.when ?? 'after-append';
  const serving = o.serving ?? (() => servingNow(o.stateDir));
  const before = { serving: await serving(), flags: flagStates(o.stateDir, o.flags) };
  const succeededBefore = (await succeededDeploys(o.cli)).length;
  const traffic = startTraffic(o.url, 2, 900_000);
  let covered = 0;
  try {
    for (let point = 1; point < 500; point++) {
      if (o.points && !o.points.includes(point)) {
        if (point > Math.max(...o.points)) break;
        continue;
      }
      const run = await o.cli([...o.deploy, '--output', 'json'], { CUTOVER_FAILPOINT: `${when}:${point}` });
      if (run.code !== -1) {
        // The reason first: a CI log keeps only the head of a long message.
        assert.ok(
          run.code === 0,
          `the deploy ran to its end at point ${point} but failed: ${whyFailed(run)}`,
        );
        const undo = await o.cli(['rollback', JSON.parse(run.stdout).deploy_result.deploy_id]);
        assert.equal(undo.code, 0, undo.stderr);
        break;
      }
      covered++;
      const recover = await o.cli(['recover', '--env', 'production', '--output', 'json']);
      assert.equal(recover.code, 0, `recover after ${when}:${point}: ${recover.stderr}`);
      const recovered = (JSON.parse(recover.stdout) as { recovered: Array<Record<string, any>> }).recovered;
      if (recovered.length === 0) {
        const succeeded = await succeededDeploys(o.cli);
        if (succeeded.length > succeededBefore) {
          // Killed after its last event: the deploy is complete. Undo it, so the caller's next
          // loop starts from the same environment, and check that undo too.
          assert.notDeepEqual(await serving(), before.serving, `point ${point}: old serving`);
          const undo = await o.cli(['rollback', succeeded[succeeded.length - 1]!]);
          assert.equal(undo.code, 0, undo.stderr);
          assert.deepEqual(await serving(), before.serving, 'rollback of the finished deploy');
          break;
        }
        // Killed before its first event: nothing was journaled, nothing changed.
        assert.deepEqual(await serving(), before.serving, `point ${point}: changed, not journaled`);
        continue;
      }
      assert.equal(recovered.length, 1, `point ${point}: ${recover.stdout}`);
      const r = recovered[0]!;
      assert.equal(r.status, 'failed', `point ${point}`);
      assert.equal(r.recovery?.action, 'rollback');
      if (r.rollback)
        assert.equal(r.rollback.status, 'success', `point ${point}: ${JSON.stringify(r.rollback)}`);
      assert.deepEqual(await serving(), before.serving, `point ${point}: traffic not restored`);
      assert.deepEqual(flagStates(o.stateDir, o.flags), before.flags, `point ${point}: flags not restored`);
    }
  } finally {
    const report = await traffic.stop();
    assert.equal(
      report.failed,
      0,
      `requests failed during the crash loop: ${report.failures.slice(0, 5).join('\n')}`,
    );
  }
  assert.deepEqual(flagStates(o.stateDir, o.flags), before.flags, 'flags at the end');
  const verify = await o.cli(['audit', 'verify']);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  return covered;
}
