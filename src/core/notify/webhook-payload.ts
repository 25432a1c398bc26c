import type { DeployEvent, EventOf } from '../events.js';
import { notifyNamesOf, type NotifyEventName } from './notify-events.js';

/** The JSON body of one delivery; README "Webhooks" documents every field. */
export interface WebhookPayload {
  /** the delivery id: the same for every attempt of this event to this URL */
  id: string;
  /** the name it is delivered under: the event's type, or AWAITING_APPROVAL */
  type: NotifyEventName;
  /** the journal event's own type */
  event_type: DeployEvent['type'];
  deploy_id: string;
  /** the environment the deploy targets; null if its request is missing */
  environment: string | null;
  seq: number;
  /** the event's global position in the journal */
  position: number;
  at: string;
  /** the event's fields, as journaled (secrets already redacted there) */
  data: Record<string, unknown>;
  /** one human sentence, no links */
  summary: string;
  /** Slack's field: the summary prefixed `cutover: ` */
  text: string;
}

export interface PayloadInput {
  deliveryId: string;
  name: NotifyEventName;
  row: { id: number; deploy_id: string; seq: number; at: string; event: DeployEvent };
  request: EventOf<'DEPLOY_REQUESTED'> | undefined;
}

export function webhookPayload({ deliveryId, name, row, request }: PayloadInput): WebhookPayload {
  const { type, ...data } = row.event;
  const summary = summarize(row.deploy_id, row.event, request);
  return {
    id: deliveryId,
    type: name,
    event_type: type,
    deploy_id: row.deploy_id,
    environment: request?.environment ?? null,
    seq: row.seq,
    position: row.id,
    at: row.at,
    data,
    summary,
    text: `cutover: ${summary}`,
  };
}

/** `deploy <id> (api-orders 2.4.0-abc1234-20261129) to production FAILED at APPLY: …` */
function summarize(
  deployId: string,
  event: DeployEvent,
  request: EventOf<'DEPLOY_REQUESTED'> | undefined,
): string {
  const what = request ? ` (${request.changeset.service} ${request.tag})` : '';
  const subject = `deploy ${deployId}${what} to ${request?.environment ?? 'an unknown environment'}`;
  // also when the URL subscribed to DEPLOY_SUCCEEDED only: the deploy has not shipped yet
  if (notifyNamesOf(event, request).includes('AWAITING_APPROVAL'))
    return `${subject} AWAITS APPROVAL, live on ${request?.apply_environment ?? 'staging'}`;
  switch (event.type) {
    case 'DEPLOY_FAILED':
      return `${subject} FAILED at ${event.failed_step}: ${event.reason}${event.rolled_back ? ' (rolled back)' : ''}`;
    case 'DEPLOY_SUCCEEDED':
      return `${subject} SUCCEEDED`;
    case 'DEPLOY_REQUESTED':
      return `${subject} REQUESTED by ${event.requested_by} (${event.strategy.mode})`;
    case 'ROLLBACK_SUCCESS':
      return `${subject} ROLLED BACK`;
    case 'ROLLBACK_FAILED':
      return `${subject} ROLLBACK FAILED: ${event.reason}`;
    case 'APPROVAL_RECORDED':
      return `${subject} ${event.decision.toUpperCase()} by ${event.by}`;
    case 'ABORT_REQUESTED':
      return `${subject} ABORT requested by ${event.by}: ${event.reason}`;
    case 'PROMOTE_SUCCESS':
      return `${subject} PROMOTED to 100 %`;
    case 'DEADLINE_FIRED':
      return `${subject}: the ${event.name} deadline passed (${event.action})`;
    case 'HOST_UNRECONCILED':
      return `${subject}: host ${event.host} could not be put back: ${event.reason}`;
    case 'ANALYSIS_RESULT':
      return `${subject}: analysis at ${event.percent} % ${event.verdict}`;
    default:
      return `${subject}: ${event.type}`;
  }
}
