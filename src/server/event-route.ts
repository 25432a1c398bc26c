import type { Context } from 'hono';
import { once } from 'node:events';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Identity } from '../service/identity.js';
import { eventsInput, parseInput } from '../service/inputs.js';
import type { Service } from '../service/service.js';
import { CutoverError, toCutoverError } from '../core/errors.js';
import type { JournalRow } from '../ports/journal.js';

/** How long a quiet stream waits before a keep-alive comment (proxies drop silent connections). */
const IDLE_MS = 15_000;

/**
 * `GET /api/events`: Server-Sent Events, one per journal row as it is appended — by this server or
 * by any other cutover process on the same state — `id:` its global journal position, `event:`
 * its type, `data:` the row as `cutover log --output json` prints it. `Last-Event-ID` (or
 * `?after=`) resumes after that position, from the journal; without either the stream starts now.
 */
export async function eventRoute(c: Context, service: Service, who: Identity): Promise<Response> {
  const query = parseInput(eventsInput, c.req.query(), 'query');
  const from = resumeFrom(c.req.header('last-event-id'), query.after, service.position());
  const filter = {
    ...(query.deploy === undefined ? {} : { deploy: query.deploy }),
    ...(query.environment === undefined ? {} : { environment: query.environment }),
  };
  const aborted = new AbortController();
  // Checked before the stream starts, so a viewer below the role gets its 403 as JSON.
  const events = service.events(who, from, filter, aborted.signal, IDLE_MS);
  // Written straight to node's response: one write per event per client, with no web stream
  // between (the stream helpers' per-write promise chain, times 50 clients, per event).
  const res = (c.env as HttpBindings).outgoing;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const gone = new Promise<void>((resolve) => res.once('close', resolve));
  void gone.then(() => aborted.abort());
  const send = async (text: string) => {
    if (!res.write(text)) await Promise.race([once(res, 'drain'), gone]);
  };
  void (async () => {
    try {
      await send(`event: ready\ndata: ${JSON.stringify({ position: from })}\n\n`);
      for await (const item of events)
        await send(item.kind === 'idle' ? ': keep-alive\n\n' : message(item.row));
    } catch (err) {
      // the journal could not be read: the client hears why, and reconnects with Last-Event-ID
      const { code, message: text } = toCutoverError(err);
      res.write(`event: error\ndata: ${JSON.stringify({ code, message: text })}\n\n`);
    } finally {
      res.end();
    }
  })();
  return RESPONSE_ALREADY_SENT;
}

/**
 * A row as one SSE message, formatted once however many streams send it: the streams share the
 * tail's rows (journal-tail.ts), so 50 clients cost one JSON.stringify per row, not 50.
 */
const formatted = new WeakMap<JournalRow, string>();
function message(row: JournalRow): string {
  let text = formatted.get(row);
  if (text === undefined) {
    // JSON has no raw line break in it, so the row is one `data:` line
    text = `id: ${row.id}\nevent: ${row.event.type}\ndata: ${JSON.stringify(row)}\n\n`;
    formatted.set(row, text);
  }
  return text;
}

function resumeFrom(header: string | undefined, after: number | undefined, now: number): number {
  if (header === undefined) return after ?? now;
  if (!/^\d+$/.test(header.trim()))
    throw new CutoverError(
      'E_INVALID_INPUT',
      `Last-Event-ID: must be a journal position (a whole number), got "${header}"`,
    );
  return Number(header.trim());
}
