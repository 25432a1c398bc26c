import { CutoverError } from '../../src/core/errors.js';
import type { ReleaseRef } from '../../src/ports/release.js';
import type { Target, TargetSnapshot } from '../../src/ports/target.js';

interface ModelVersion {
  release: ReleaseRef;
  layoutDir: string;
}

/**
 * An in-memory model of the Target contract (ports/target.ts): versions by digest, weights that
 * must name running versions and sum to 100, `restore` to a snapshot. Used where the property
 * test needs hundreds of deploys; the real runtime is covered by the e2e and integration tests.
 */
export class ModelTarget implements Target {
  readonly name = 'model';
  faultOn: (digest: string, op: 'start' | 'route') => boolean = () => false;
  private versions = new Map<string, ModelVersion>();
  private weights: Record<string, number> = {};

  constructor(
    readonly environment: string,
    initial: TargetSnapshot,
  ) {
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
        release: v.release,
        layoutDir: v.layoutDir,
        weight: this.weights[v.release.digest] ?? 0,
      })),
    };
  }

  async start(release: ReleaseRef, layoutDir: string): Promise<void> {
    if (this.faultOn(release.digest, 'start'))
      throw new CutoverError('E_HEALTH_TIMEOUT', `injected fault: ${release.tag} never got healthy`);
    this.versions.set(release.digest, { release, layoutDir });
  }

  async route(weights: Record<string, number>): Promise<void> {
    const digests = Object.keys(weights);
    if (digests.some((d) => this.faultOn(d, 'route')))
      throw new CutoverError('E_APPLY_FAILED', 'injected fault: route');
    const sum = Object.values(weights).reduce((a, b) => a + b, 0);
    if (sum !== 100 || digests.some((d) => !this.versions.has(d)))
      throw new CutoverError('E_APPLY_FAILED', `bad weights ${JSON.stringify(weights)}`);
    this.weights = { ...weights };
  }

  async stop(digest: string): Promise<void> {
    this.versions.delete(digest);
    delete this.weights[digest];
  }

  async restore(snapshot: TargetSnapshot): Promise<void> {
    this.load(snapshot);
  }

  private load(snapshot: TargetSnapshot): void {
    this.versions = new Map(
      snapshot.versions.map((v) => [v.release.digest, { release: v.release, layoutDir: v.layoutDir }]),
    );
    this.weights = Object.fromEntries(
      snapshot.versions.filter((v) => v.weight > 0).map((v) => [v.release.digest, v.weight]),
    );
  }
}
