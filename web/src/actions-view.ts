import { ApiError, callApi } from './api-client.js';
import type { DeployResult, Identity } from './api-types.js';
import { VERBS, whyNot, type Verb } from './deploy-actions.js';
import { h, replaceRegion } from './dom.js';

/**
 * The five verbs for the open deploy. Each is disabled, with the reason written under it, when
 * the token's role or the deploy's state does not allow it; each asks for confirmation in a
 * modal dialog (Escape or Cancel backs out) before it calls the API.
 */
export function renderActions(
  region: HTMLElement,
  result: DeployResult,
  who: Identity,
  announce: (text: string) => void,
  done: () => void,
): void {
  const verbs = Object.keys(VERBS) as Verb[];
  const buttons = verbs.map((verb) => {
    const reason = whyNot(verb, who.role, result);
    return h(
      'button',
      {
        type: 'button',
        class: `action action-${verb}`,
        'data-key': verb,
        'data-action': verb,
        disabled: reason !== null,
        'aria-describedby': reason === null ? null : `why-${verb}`,
        onclick: () => confirmVerb(verb, result, announce, done),
      },
      verb,
    );
  });
  const reasons = verbs.flatMap((verb) => {
    const reason = whyNot(verb, who.role, result);
    return reason === null ? [] : [h('li', { id: `why-${verb}` }, `${verb}: ${reason}`)];
  });
  replaceRegion(
    region,
    h('div', { class: 'actions', role: 'group', 'aria-label': 'actions' }, ...buttons),
    reasons.length > 0 ? h('ul', { class: 'why-not muted small' }, ...reasons) : null,
  );
}

function confirmVerb(
  verb: Verb,
  result: DeployResult,
  announce: (t: string) => void,
  done: () => void,
): void {
  const id = result.deploy_id;
  const reason = h('input', {
    id: 'confirm-reason',
    type: 'text',
    autocomplete: 'off',
    value: `${verb} from the dashboard`,
  });
  const withReason = verb === 'abort' || verb === 'rollback';
  const cancel = h(
    'button',
    { type: 'button', class: 'secondary', autofocus: true, onclick: () => dialog.close() },
    'Cancel',
  );
  const go = h(
    'button',
    { type: 'submit', class: `danger confirm-${verb}`, 'data-confirm': verb },
    `Yes, ${verb}`,
  );
  const form = h(
    'form',
    { method: 'dialog' },
    h('h2', { id: 'confirm-title' }, `${verb[0]!.toUpperCase()}${verb.slice(1)} ${result.version}?`),
    h('p', {}, `Deploy ${id.slice(0, 13)} in ${result.environment}: ${verb} ${VERBS[verb].effect}.`),
    withReason ? h('label', { for: 'confirm-reason' }, 'Reason (journaled)') : null,
    withReason ? reason : null,
    h('div', { class: 'dialog-buttons' }, cancel, go),
  );
  const dialog = h('dialog', { 'aria-labelledby': 'confirm-title', class: 'confirm' }, form);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    dialog.close();
    void run(
      verb,
      id,
      withReason ? { reason: reason.value || `${verb} from the dashboard` } : {},
      announce,
      done,
    );
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  cancel.focus();
}

async function run(verb: Verb, id: string, body: object, announce: (t: string) => void, done: () => void) {
  announce(`${verb}: sent, waiting for the verb to end…`);
  try {
    const answer = await callApi<{ deploy_id?: string; deploy_result?: DeployResult }>(
      `/api/deploys/${encodeURIComponent(id)}/${verb}`,
      'POST',
      body,
    );
    const state = answer.deploy_result?.state;
    announce(
      `${verb}: done${state ? `, deploy is ${state.replace('_', ' ')}` : answer.deploy_id ? `, new deploy ${answer.deploy_id.slice(0, 13)}` : ''}.`,
    );
  } catch (err) {
    announce(`${verb} refused: ${err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)}`);
  }
  done();
}
