import type { Command } from '../command.js';
import type { DeployState } from '../deploy-state.js';
import { CutoverError } from '../errors.js';
import type { DeployEvent } from '../events.js';
import { planApply, planCanaryStep, planCutover, type RoutingPlan } from '../routing-plan.js';
import type { FlagEnvironmentState } from '../model/flag.js';
import type { MetricsSnapshot } from '../model/metrics.js';
import type { TargetSnapshot } from '../model/target.js';

/** What a rehearsed deploy changes: the apply environment's routing and the flags, by name. */
export interface World {
  target: TargetSnapshot;
  flags: Record<string, FlagEnvironmentState>;
}

const OFF: FlagEnvironmentState = { state: 'off', percentage: 0 };

/** A rehearsed build's digest: it stands for the image not built yet, and names its tag. */
export function plannedDigest(tag: string): string {
  return `planned:${tag}`;
}

/** The environment once `plan`'s weights are routed and its retired versions stopped. */
function routed(world: World, plan: RoutingPlan, release: { repository: string; tag: string }): World {
  const known = (digest: string) =>
    world.target.versions.find((v) => v.release.digest === digest) ?? {
      release: { ...release, digest },
      layoutDir: '',
    };
  const versions = Object.entries(plan.weights).map(([digest, weight]) => ({ ...known(digest), weight }));
  return { ...world, target: { ...world.target, versions } };
}

/**
 * The events a forward command journals when it succeeds and its analysis passes, and the world
 * after it: the same routing functions as the executor's steps, so the weights are the real ones.
 */
export function succeed(
  command: Command,
  state: DeployState,
  world: World,
  baseline: MetricsSnapshot,
): { events: DeployEvent[]; world: World } {
  const req = state.request;
  const flag = req.changeset.feature_flag;
  const environment = req.apply_environment;
  const digest = state.pushedDigest ?? plannedDigest(req.tag);
  const release = { repository: req.repository, tag: req.tag, digest };
  const setFlag = (w: World, s: FlagEnvironmentState): World => ({ ...w, flags: { ...w.flags, [flag]: s } });
  const judged = {
    verdict: 'pass' as const,
    reasons: [],
    canary: baseline,
    baseline,
    latency_increase_pct: null,
  };
  const thresholds = req.strategy.analysis;
  switch (command.kind) {
    case 'preflight':
      return {
        events: [
          { type: 'PREFLIGHT_START' },
          { type: 'PREFLIGHT_PASSED', checks: [], baseline, flag: world.flags[flag] ?? OFF },
        ],
        world,
      };
    case 'build':
      return {
        events: [
          { type: 'BUILD_START', tag: req.tag },
          { type: 'BUILD_SUCCESS', digest, layout_dir: '', size: 0 },
        ],
        world,
      };
    case 'push':
      return {
        events: [
          { type: 'PUSH_START', registry: req.registry, repository: req.repository, tag: req.tag, digest },
          { type: 'PUSH_SUCCESS', digest, already_present: false },
        ],
        world,
      };
    case 'apply': {
      const next = routed(world, planApply(req.strategy, world.target, digest), release);
      const start = { type: 'APPLY_START', environment, release, previous: world.target } as const;
      return { events: [start, { type: 'APPLY_SUCCESS', environment, current: next.target }], world: next };
    }
    case 'set-flag': {
      const previous = world.flags[flag] ?? OFF;
      const desired = command.desired;
      return {
        events: [
          { type: 'FLAG_START', flag, environment, previous, desired },
          { type: 'FLAG_ACTIVATED', flag, environment, ...desired },
        ],
        world: setFlag(world, desired),
      };
    }
    case 'observe': {
      const { percent, observeMs: observe_ms } = command;
      const observed = { type: 'OBSERVE_START', percent, observe_ms, until: '' } as const;
      return { events: [observed, { type: 'ANALYSIS_RESULT', percent, ...judged, thresholds }], world };
    }
    case 'canary-step': {
      const next = routed(world, planCanaryStep(state.previousTarget!, digest, command.percent), release);
      const stepped = { type: 'STEP_SUCCESS', percent: command.percent, current: next.target } as const;
      return {
        events: [{ type: 'STEP_START', percent: command.percent }, stepped],
        world: setFlag(next, { state: 'on', percentage: command.percent }),
      };
    }
    case 'promote': {
      const plan = planCutover(world.target, digest);
      const next = routed(world, plan, release);
      return {
        events: [
          { type: 'PROMOTE_START', retire: plan.retire },
          { type: 'PROMOTE_SUCCESS', current: next.target },
        ],
        world: setFlag(next, { state: 'on', percentage: 100 }),
      };
    }
    case 'batch-observe': {
      const { index, observeMs: observe_ms } = command;
      const observed = { type: 'BATCH_OBSERVE_START', index, observe_ms, until: '' } as const;
      return { events: [observed, { type: 'BATCH_ANALYSIS', index, ...judged, thresholds }], world };
    }
    case 'next-batch': {
      const next = req.train![command.index]!;
      const started = {
        type: 'BATCH_START',
        index: command.index,
        changeset_id: next.changeset.id,
        tag: next.tag,
      };
      return { events: [started as DeployEvent], world };
    }
    case 'succeed':
      return { events: [{ type: 'DEPLOY_SUCCEEDED' }], world };
    default:
      throw new CutoverError('E_INTERNAL', `a rehearsal where everything succeeds decided ${command.kind}`);
  }
}
