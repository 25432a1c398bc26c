import { DEPLOY_EVENT_TYPES } from '../event-types.js';
import type { DeployEvent, EventOf } from '../events.js';

/**
 * Names a webhook may subscribe to: every journal event type, plus names for moments the journal
 * records only as a combination. A manual deploy that reaches approval ends with
 * `DEPLOY_SUCCEEDED` like any other (its state, `awaiting_approval`, is read from its request:
 * core/deploy-phase.ts), and that is the moment an approver must hear about.
 */
export const DERIVED_NOTIFY_EVENTS = ['AWAITING_APPROVAL'] as const;

export const NOTIFY_EVENT_NAMES = [...DEPLOY_EVENT_TYPES, ...DERIVED_NOTIFY_EVENTS] as const;

export type NotifyEventName = DeployEvent['type'] | (typeof DERIVED_NOTIFY_EVENTS)[number];

/**
 * The names a journal event is delivered under: its own type, and AWAITING_APPROVAL for the
 * `DEPLOY_SUCCEEDED` of a manual deploy that waits for approval (one that ships an approved
 * artifact, `artifact_from`, is the follow-up and waits for nothing).
 */
export function notifyNamesOf(
  event: DeployEvent,
  request: EventOf<'DEPLOY_REQUESTED'> | undefined,
): NotifyEventName[] {
  if (
    event.type === 'DEPLOY_SUCCEEDED' &&
    request?.strategy.mode === 'manual' &&
    request.artifact_from === undefined
  )
    return ['AWAITING_APPROVAL', event.type];
  return [event.type];
}

/** What one webhook subscribes to; `environments` absent: every environment. */
export interface NotifySubscription {
  events: readonly string[];
  environments?: readonly string[];
}

/**
 * The name `event` is delivered under to `subscription`, or undefined when it is not subscribed
 * there. A derived name wins over the plain type, so an approver subscribed to both hears once.
 */
export function subscribedName(
  subscription: NotifySubscription,
  event: DeployEvent,
  request: EventOf<'DEPLOY_REQUESTED'> | undefined,
): NotifyEventName | undefined {
  const environment = request?.environment;
  if (subscription.environments && (!environment || !subscription.environments.includes(environment)))
    return undefined;
  return notifyNamesOf(event, request).find((name) => subscription.events.includes(name));
}
