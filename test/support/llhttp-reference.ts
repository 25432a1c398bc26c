import { createRequire } from 'node:module';

/**
 * Node's own llhttp, driven directly: the parser node:http creates for every server connection,
 * with the same default (non-lenient) flags and the router's head limit. Used as the reference
 * the router's fast-path parser is held to (differential tests and bench/http-differential.mjs):
 * exercising it through a socket pair would test the same code, a thousand times slower.
 */
interface NodeHttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  [callback: number]: unknown;
}
interface ParserModule {
  HTTPParser: {
    new (): NodeHttpParser;
    REQUEST: number;
    kOnHeaders: number;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
    kOnExecute: number;
  };
  methods: string[];
}
const { HTTPParser, methods } = createRequire(import.meta.url)('_http_common') as ParserModule;

export interface ReferenceMessage {
  method: string;
  url: string;
  /** raw header names and values, alternating, as llhttp gives them (values without OWS) */
  headers: string[];
  /** body bytes llhttp decoded */
  bodyBytes: number;
  complete: boolean;
}

/** An incremental llhttp request parser: feed bytes, read messages and the first error. */
export class ReferenceParser {
  readonly messages: ReferenceMessage[] = [];
  error: string | null = null;
  private readonly parser: NodeHttpParser;

  constructor(maxHeaderSize = 64 * 1024) {
    const parser = (this.parser = new HTTPParser());
    parser.initialize(HTTPParser.REQUEST, {}, maxHeaderSize, 0);
    let current: ReferenceMessage | null = null;
    // As node:http's parserOnHeaders: long heads (and trailers) arrive in flushes before the end.
    let flushedHeaders: string[] = [];
    let flushedUrl = '';
    parser[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      flushedHeaders.push(...headers);
      flushedUrl += url;
    };
    parser[HTTPParser.kOnExecute] = () => undefined;
    parser[HTTPParser.kOnHeadersComplete] = (
      _major: number,
      _minor: number,
      headers: string[] | undefined,
      method: number,
      url: string | undefined,
    ) => {
      current = {
        method: methods[method] ?? '',
        url: url || flushedUrl,
        headers: headers ?? flushedHeaders,
        bodyBytes: 0,
        complete: false,
      };
      flushedHeaders = [];
      flushedUrl = '';
      this.messages.push(current);
      return 0;
    };
    parser[HTTPParser.kOnBody] = (chunk: Buffer) => {
      if (current !== null) current.bodyBytes += chunk.length;
    };
    parser[HTTPParser.kOnMessageComplete] = () => {
      // Trailers came as a flush; node:http drops what is left of them here.
      flushedHeaders = [];
      flushedUrl = '';
      if (current !== null) current.complete = true;
    };
  }

  get completed(): number {
    return this.messages.filter((m) => m.complete).length;
  }

  /** False once llhttp refused the stream (the reason is in `error`). */
  feed(bytes: Buffer): boolean {
    if (this.error !== null) return false;
    if (bytes.length === 0) return true;
    const result = this.parser.execute(bytes);
    if (result instanceof Error) {
      this.error = `${(result as Error & { code?: string }).code ?? 'error'}: ${result.message}`;
      return false;
    }
    return true;
  }
}
