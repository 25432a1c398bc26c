import { deployPhase, type DeployPhase } from '../core/deploy-phase.js';
import type { DeployState } from '../core/deploy-state.js';
import { foldEvents } from '../core/fold-deploy.js';
import { buildResult } from '../core/result.js';
import type { DeployResult } from '../core/schema/result.js';
import { requireDeploy } from '../executor/require-deploy.js';
import type { DeploySummary, JournalRow } from '../ports/journal.js';
import type { App } from '../cli/app.js';
import { lockedEnvironments } from './locks.js';

export interface DeployListItem extends DeploySummary {
  state: DeployPhase;
}

export interface DeployPage {
  deploys: DeployListItem[];
  /** how many deploys match, across every page */
  total: number;
}

export interface ListQuery {
  environment?: string;
  state?: DeployPhase;
  /** newest first when given (the API pages); in first-append order for `cutover status` */
  page?: { limit: number; offset: number };
}

/**
 * The deploys with their phase. The deploy index pages them (`deployPage`, newest first) and only
 * the page is folded, so a page costs the same on a long history; a `state` filter needs every
 * deploy's phase, so it folds them all. Without a page (`cutover status`), all of them in order.
 */
export async function listDeploys(app: App, query: ListQuery): Promise<DeployPage> {
  const journal = app.journal();
  const locked = await lockedEnvironments(app);
  const withPhase = async (d: DeploySummary): Promise<DeployListItem> => {
    const state = foldEvents(d.deploy_id, await journal.rows(d.deploy_id));
    return { ...d, state: deployPhase(state, locked.has(state.request.apply_environment)) };
  };
  const environment = query.environment === undefined ? {} : { environment: query.environment };
  if (query.state === undefined) {
    const { deploys, total } = query.page
      ? await journal.deployPage({ ...environment, ...query.page })
      : await journal.deploys(query.environment).then((all) => ({ deploys: all, total: all.length }));
    return { deploys: await Promise.all(deploys.map(withPhase)), total };
  }
  // Only the phase tells, which costs a fold of every deploy: a state filter reads them all.
  let summaries = await journal.deploys(query.environment);
  if (query.page) summaries = summaries.reverse();
  const page = (all: readonly DeployListItem[]) =>
    query.page ? all.slice(query.page.offset, query.page.offset + query.page.limit) : all;
  const matching: DeployListItem[] = [];
  for (const d of summaries) {
    const item = await withPhase(d);
    if (item.state === query.state) matching.push(item);
  }
  return { deploys: [...page(matching)], total: matching.length };
}

export interface DeployRecord {
  rows: JournalRow[];
  state: DeployState;
  result: DeployResult;
}

/** One deploy (an id prefix is enough): its rows, folded state and deploy_result document. */
export async function readDeploy(app: App, idOrPrefix: string): Promise<DeployRecord> {
  const journal = app.journal();
  const deployId = await requireDeploy(journal, idOrPrefix);
  const rows = await journal.rows(deployId);
  const state = foldEvents(deployId, rows);
  const alive = (await lockedEnvironments(app)).has(state.request.apply_environment);
  return { rows, state, result: buildResult(state, rows, alive) };
}
