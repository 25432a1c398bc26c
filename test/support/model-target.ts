import { CutoverError } from '../../src/core/errors.js';
import type { ReleaseRef } from '../../src/core/model/release.js';
import type { RouteOptions, Target, TargetSnapshot } from '../../src/ports/target.js';

interface ModelVersion {
  release: ReleaseRef;
  layoutDir: string;
}

/**
 * An in-memory model of the Target contract (ports/target.ts), held to the same contract suite
 * as the local runtime (test/contract/target): versions by digest, weights that must be whole
 * numbers naming running versions and summing to 100, the bucketing group, a stopped version's share going to the
 * version with the largest weight, `restore` to a snapshot, and copies in and out. Used where the
 * property test needs hundreds of deploys.
 */
export class ModelTarget implements Target {
  readonly name = 'model';
  faultOn: (digest: string, op: 'start' | 'route') => boolean = () => false;
  /** oldest first, as started */
  private versions = new Map<string, ModelVersion>();
  private weights: Record<string, number> = {};
  /** the runtime's default too: an environment buckets by its own name until a deploy names a flag */
  private groupId: string;

  constructor(
    readonly environment: string,
    initial: TargetSnapshot,
  ) {
    this.groupId = environment;
    this.load(initial);
  }

  /** Nothing to start in a model: what serves is simply its snapshot. */
  peek(): Promise<TargetSnapshot> {
    return this.snapshot();
  }

  async snapshot(): Promise<TargetSnapshot> {
    return {
      environment: this.environment,
      versions: [...this.versions.values()].map((v) => ({
        release: { ...v.release },
        layoutDir: v.layoutDir,
        weight: this.weights[v.release.digest] ?? 0,
      })),
      groupId: this.groupId,
    };
  }

  async start(release: ReleaseRef, layoutDir: string): Promise<void> {
    if (this.faultOn(release.digest, 'start'))
      throw new CutoverError('E_HEALTH_TIMEOUT', `injected fault: ${release.tag} never got healthy`);
    if (!this.versions.has(release.digest))
      this.versions.set(release.digest, { release: { ...release }, layoutDir });
  }

  async route(weights: Record<string, number>, options?: RouteOptions): Promise<void> {
    const digests = Object.keys(weights);
    if (digests.some((d) => this.faultOn(d, 'route')))
      throw new CutoverError('E_APPLY_FAILED', 'injected fault: route');
    const problems = Object.entries(weights).flatMap(([digest, weight]) => [
      ...(Number.isInteger(weight) && weight >= 0 && weight <= 100 ? [] : [`${digest}: weight ${weight}`]),
      ...(this.versions.has(digest) ? [] : [`${digest}: not running`]),
    ]);
    const sum = Object.values(weights).reduce((a, b) => a + b, 0);
    if (problems.length === 0 && sum !== 100) problems.push(`weights sum to ${sum}`);
    if (problems.length > 0)
      throw new CutoverError('E_INVALID_INPUT', `cannot route ${this.environment}: ${problems.join('; ')}`);
    this.weights = { ...weights };
    if (options?.groupId) this.groupId = options.groupId;
  }

  /** Its share goes to the version with the largest weight (the newest on a tie), as the runtime does. */
  async stop(digest: string): Promise<void> {
    const share = this.weights[digest] ?? 0;
    this.versions.delete(digest);
    delete this.weights[digest];
    let heir: string | undefined;
    for (const d of [...this.versions.keys()].reverse()) {
      if ((this.weights[d] ?? 0) > (heir === undefined ? 0 : (this.weights[heir] ?? 0))) heir = d;
    }
    if (heir !== undefined) this.weights[heir] = (this.weights[heir] ?? 0) + share;
  }

  async restore(snapshot: TargetSnapshot): Promise<void> {
    this.load(snapshot);
  }

  private load(snapshot: TargetSnapshot): void {
    this.versions = new Map(
      snapshot.versions.map((v) => [v.release.digest, { release: { ...v.release }, layoutDir: v.layoutDir }]),
    );
    this.weights = Object.fromEntries(
      snapshot.versions.filter((v) => v.weight > 0).map((v) => [v.release.digest, v.weight]),
    );
    if (snapshot.groupId !== undefined) this.groupId = snapshot.groupId;
  }
}
