import type { TargetSnapshot } from './model/target.js';
import { assertNever } from './errors.js';
import type { Strategy } from './schema/strategy.js';

export interface RoutingPlan {
  weights: Record<string, number>;
  /** versions to drain and stop once the weights are in place */
  retire: string[];
}

/** Replaces whatever serves with `digest` at 100 % (fast-track, manual's staging, promotion). */
export function planCutover(previous: TargetSnapshot, digest: string): RoutingPlan {
  return {
    weights: { [digest]: 100 },
    retire: previous.versions.map((v) => v.release.digest).filter((d) => d !== digest),
  };
}

/**
 * Puts `digest` beside the stable version at `percent`; the stable version keeps the rest. With
 * nothing serving yet there is no one to compare with, so the canary takes everything.
 */
export function planCanaryStep(previous: TargetSnapshot, digest: string, percent: number): RoutingPlan {
  const stable = previous.versions.filter((v) => v.release.digest !== digest && v.weight > 0);
  if (stable.length === 0) return planCutover(previous, digest);
  const [main] = [...stable].sort((a, b) => b.weight - a.weight);
  return {
    weights: { [digest]: percent, [main!.release.digest]: 100 - percent },
    retire: previous.versions
      .map((v) => v.release.digest)
      .filter((d) => d !== digest && d !== main!.release.digest),
  };
}

/**
 * Where APPLY puts a new version: fast-track and manual (in the environment it waits in) replace
 * what serves; a canary starts at its first step beside the stable version.
 */
export function planApply(strategy: Strategy, previous: TargetSnapshot, digest: string): RoutingPlan {
  switch (strategy.mode) {
    case 'fast-track':
    case 'manual':
      return planCutover(previous, digest);
    case 'canary':
      return planCanaryStep(previous, digest, strategy.canary.steps[0]!);
    default:
      return assertNever(strategy.mode);
  }
}

/**
 * The version serving most of the traffic beside `digest`, or null when it serves alone: what a
 * canary's requests are compared with over the same window.
 */
export function stableBeside(snapshot: TargetSnapshot | undefined, digest: string): string | null {
  const others = (snapshot?.versions ?? []).filter((v) => v.release.digest !== digest && v.weight > 0);
  others.sort((a, b) => b.weight - a.weight);
  return others[0]?.release.digest ?? null;
}
