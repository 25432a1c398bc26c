/** A lazily made value; `peek` says whether it was ever made, so closing never opens anything. */
export function memo<T>(make: () => T): (() => T) & { peek(): T | undefined } {
  let value: T | undefined;
  return Object.assign(() => (value ??= make()), { peek: () => value });
}

/** One lazily made value per environment name. */
export function perEnvironment<T>(make: (env: string) => T): (env: string) => T {
  const cache = new Map<string, T>();
  return (env) => {
    if (!cache.has(env)) cache.set(env, make(env));
    return cache.get(env)!;
  };
}
