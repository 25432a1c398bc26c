/** One Server-Sent Event as the client sees it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * A minimal SSE client over fetch (Node 20 has no EventSource): `next()` resolves with the next
 * event; `close()` ends the request. Keep-alive comments are skipped.
 */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const aborted = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: aborted.signal,
  });
  const queue: SseEvent[] = [];
  const waiters: Array<(e: SseEvent | undefined) => void> = [];
  let ended = false;
  const push = (e: SseEvent | undefined) => {
    const w = waiters.shift();
    if (w) w(e);
    else if (e) queue.push(e);
  };
  const pump = async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { event: 'message', data: '' };
          let any = false;
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon === 0) continue;
            const [field, value] = [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
            any = true;
            if (field === 'id') e.id = value;
            else if (field === 'event') e.event = value;
            else if (field === 'data') e.data = e.data ? `${e.data}\n${value}` : value;
          }
          if (any) push(e);
        }
      }
    } catch {
      // aborted by close()
    }
    ended = true;
    while (waiters.length) push(undefined);
  };
  void pump();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    /** the next event, or undefined once the stream ended */
    next(): Promise<SseEvent | undefined> {
      const e = queue.shift();
      if (e || ended) return Promise.resolve(e);
      return new Promise((resolve) => waiters.push(resolve));
    },
    /** events until one satisfies `until` (included) */
    async collect(until: (e: SseEvent) => boolean): Promise<SseEvent[]> {
      const seen: SseEvent[] = [];
      for (;;) {
        const e = await this.next();
        if (!e) throw new Error(`the stream ended after ${seen.map((s) => s.event).join(', ')}`);
        seen.push(e);
        if (until(e)) return seen;
      }
    },
    close: () => aborted.abort(),
  };
}

export type SseClient = Awaited<ReturnType<typeof openSse>>;
