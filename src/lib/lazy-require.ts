import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS package loaded on first use rather than when its importer loads. Every cutover
 * command loads the whole CLI, so a package only some configurations need (pg for a PostgreSQL
 * store, ssh2 for an ssh target, undici for a remote registry, Unleash or Prometheus) would
 * otherwise cost every command its load time: about 0.3 s of CPU for these three together.
 *
 * @example
 * const undici = lazyRequire<typeof import('undici')>('undici');
 * await undici().request(url);
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
