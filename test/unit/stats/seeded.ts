// Seeded pseudo-random numbers for the stats tests, so every run draws the same samples.

/** mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator of uniforms in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by the Box-Muller transform. */
export function gaussian(uniform: () => number): () => number {
  return () => {
    let u = uniform();
    while (u === 0) u = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** `n` log-normal draws with the given median and log-scale spread σ. */
export function logNormalSample(
  normal: () => number,
  n: number,
  median: number,
  sigma: number,
): Float64Array {
  return Float64Array.from({ length: n }, () => median * Math.exp(sigma * normal()));
}
