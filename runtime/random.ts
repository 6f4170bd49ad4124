// One seeded pseudo-random generator for the whole runtime (synthetic data, shuffling, corruption
// seeds), so a run with the same seed sees the same numbers on every machine and backend.
// mulberry32 is tiny, fast and passes the statistical tests that matter for shuffling and noise;
// normals come from Box-Muller, caching the second value of each pair.

/** One mulberry32 step: the next 32-bit state and its float, uniform in [0, 1). The runtime's
 *  only PRNG core (program/rng.ts keeps the state as one integer for --resume). */
export function mulberry32Step(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { state: next, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}

/** A 32-bit seeded generator: returns floats uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const step = mulberry32Step(state);
    state = step.state;
    return step.value;
  };
}

export class Random {
  private readonly uniform: () => number;
  private spareNormal: number | undefined;

  constructor(readonly seed: number) {
    this.uniform = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  /** Uniform in [low, high). */
  range(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (mean 0, variance 1), by Box-Muller. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const held = items[i];
      items[i] = items[j];
      items[j] = held;
    }
    return items;
  }

  /** The numbers 0..n-1 in a random order. */
  permutation(n: number): Int32Array {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return this.shuffle(order);
  }

  /** A new generator whose sequence is independent of this one's (for sub-tasks). */
  fork(): Random {
    return new Random(Math.floor(this.uniform() * 4294967296));
  }
}

export function createRandom(seed: number): Random {
  return new Random(seed);
}
