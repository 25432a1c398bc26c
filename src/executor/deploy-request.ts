import { applyEnvironmentOf } from '../core/environments.js';
import { CutoverError } from '../core/errors.js';
import type { BatchRequest, EventOf } from '../core/events.js';
import { redactValue } from '../core/redact.js';
import { formatReleaseTag } from '../core/tag.js';
import type { Changeset } from '../core/schema/changeset.js';
import type { Strategy } from '../core/schema/strategy.js';
import type { ExecutorContext } from './context.js';

export interface DeployInput {
  changeset: Changeset;
  /** directory of the changeset file */
  baseDir: string;
  /** the changesets after the first, for a train that deploys them one after another */
  more?: Array<{ changeset: Changeset; baseDir: string }>;
  strategy: Strategy;
  environment: string;
  /** ship the artifact an earlier deploy built and pushed, under its tag (manual approval) */
  reuse?: { deployId: string; tag: string; digest: string; layoutDir: string };
}

export type DeployRequest = EventOf<'DEPLOY_REQUESTED'>;

/** What building a request reads: environments, registries, the clock (for tags), who acts, secrets. */
export type RequestContext = Pick<
  ExecutorContext,
  'config' | 'environment' | 'registry' | 'clock' | 'actor' | 'secrets'
>;

/**
 * The request a deploy journals first, with everything that can be known before acting checked:
 * environments, tags (stamped with the clock's now), the train, secrets. It reads nothing that
 * changes and writes nothing, so `cutover plan` builds the very request `deploy` would journal.
 */
export function buildDeployRequest(ctx: RequestContext, input: DeployInput): DeployRequest {
  const env = ctx.environment(input.environment);
  const applyEnvironment = applyEnvironmentOf(env, input.strategy.mode);
  ctx.environment(applyEnvironment);
  const repository = env.registry.repository ?? input.changeset.service;
  const registry = ctx.registry(env.name);
  const batch = (changeset: Changeset, baseDir: string): BatchRequest => ({
    changeset,
    base_dir: baseDir,
    repository: env.registry.repository ?? changeset.service,
    tag: formatReleaseTag(changeset.version, changeset.commit, ctx.clock.now(), ctx.config.tag.timestamp),
  });
  const train = input.more?.length
    ? checkTrain(input, [
        batch(input.changeset, input.baseDir),
        ...input.more.map((b) => batch(b.changeset, b.baseDir)),
      ])
    : undefined;
  const tag = input.reuse?.tag ?? batch(input.changeset, input.baseDir).tag;

  const request: DeployRequest = {
    type: 'DEPLOY_REQUESTED',
    environment: env.name,
    apply_environment: applyEnvironment,
    strategy: input.strategy,
    changeset: input.changeset,
    base_dir: input.baseDir,
    repository,
    tag,
    registry: registry.describe(repository),
    requested_by: ctx.actor,
    ...(input.reuse
      ? {
          artifact_from: {
            deploy_id: input.reuse.deployId,
            digest: input.reuse.digest,
            layout_dir: input.reuse.layoutDir,
          },
        }
      : {}),
    ...(train ? { train } : {}),
  };
  assertNoSecrets(ctx, request);
  return request;
}

/**
 * The request is journaled as it is, and the journal never holds a secret: a changeset that
 * spells out a configured secret value (a `*_env` variable of cutover.yaml) would be deployed
 * from a redacted copy on resume, so it is refused before the deploy exists.
 */
function assertNoSecrets(ctx: RequestContext, request: DeployRequest): void {
  if (redactValue(request, ctx.secrets) === request) return;
  throw new CutoverError(
    'E_INVALID_INPUT',
    'changeset: it contains the value of a secret that cutover.yaml names (an *_env variable); the journal must not hold it, so give it to the build or the app another way',
  );
}

/**
 * A train ships one service's changes in order, on one router, each behind its own flag. Manual
 * mode waits for an approval per deploy, which a train cannot interleave, so it is refused.
 */
function checkTrain(input: DeployInput, train: BatchRequest[]): BatchRequest[] {
  if (input.strategy.mode === 'manual')
    throw new CutoverError(
      'E_USAGE',
      '--changeset: manual mode deploys one changeset at a time (each waits for its approval)',
    );
  const services = [...new Set(train.map((b) => b.changeset.service))];
  if (services.length > 1)
    throw new CutoverError(
      'E_USAGE',
      `--changeset: a train deploys one service, these name ${services.join(', ')}; the local target runs one service per environment`,
    );
  const ids = train.map((b) => b.changeset.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined)
    throw new CutoverError('E_USAGE', `--changeset: changeset ${twice} is listed twice`);
  const tags = train.map((b) => b.tag);
  const sameTag = tags.find((t, i) => tags.indexOf(t) !== i);
  if (sameTag !== undefined)
    throw new CutoverError('E_USAGE', `--changeset: two changesets would both be tagged ${sameTag}`);
  return train;
}
