import { authHeaders } from './api-client.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/** How long to wait before reconnecting a dropped stream. */
const RETRY_MS = 1500;

/**
 * Follows GET /api/events with fetch, not EventSource: EventSource cannot send the
 * Authorization header, and the token must not go into the URL. A dropped stream reconnects
 * with Last-Event-ID, so the server replays what was missed from the journal. Returns a stop.
 */
export function followEvents(
  onEvent: (type: string, data: string) => void,
  onState: (state: StreamState) => void,
  onUnauthorized: () => void,
): () => void {
  const aborted = new AbortController();
  let lastId: string | undefined;
  const connect = async (): Promise<void> => {
    while (!aborted.signal.aborted) {
      try {
        const headers: Record<string, string> = { ...authHeaders(), accept: 'text/event-stream' };
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        const res = await fetch('/api/events', { headers, signal: aborted.signal, cache: 'no-store' });
        if (res.status === 401) return onUnauthorized();
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        onState('live');
        await readEvents(res.body, (id, type, data) => {
          if (id !== undefined) lastId = id;
          onEvent(type, data);
        });
      } catch {
        // a network error or a stopped server: try again below
      }
      if (aborted.signal.aborted) return;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  };
  onState('connecting');
  void connect();
  return () => aborted.abort();
}

/** Splits an SSE body into events (blank-line separated blocks); comments (keep-alives) are skipped. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  emit: (id: string | undefined, type: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: string | undefined;
      let type = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = text;
        else if (field === 'event') type = text;
        else if (field === 'data') data.push(text);
      }
      if (data.length > 0 || id !== undefined) emit(id, type, data.join('\n'));
    }
  }
}
