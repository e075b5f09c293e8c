/** mulberry32's step: its state only ever moves on by this constant (so k steps are one addition). */
const STEP = 0x6d2b79f5;

/** mulberry32's output for state `a`, in [0, 1). */
function mulberry32Output(a: number): number {
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** mulberry32: a tiny, fast, seedable PRNG; good enough for synthetic data, not for cryptography. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + STEP) >>> 0;
    return mulberry32Output(a);
  };
}

/** A version-4 UUID drawn from `random`: reproducible under a seeded PRNG (ids of simulated devices). */
export function uuidV4(random: () => number): string {
  const bytes = Array.from({ length: 16 }, () => Math.floor(random() * 256));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A seed for stream `stream` of `seed` (murmur3's finalizer over both): streams of nearby numbers do not correlate. */
export function streamSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Independent mulberry32 streams, one per simulated device, in one typed array: a device's values depend on the
 * seed and the device alone, never on which other devices the same process simulates (segments, workers).
 */
export class RandomStreams {
  private readonly states: Uint32Array;

  /** Stream i is seeded by `streamSeed(seed, ids[i])`. */
  constructor(seed: number, ids: readonly number[]) {
    this.states = Uint32Array.from(ids, (id) => streamSeed(seed, id));
  }

  /** The next number of stream `i`, in [0, 1). */
  next(i: number): number {
    return mulberry32Output((this.states[i] = (this.states[i] + STEP) >>> 0));
  }

  /** Moves stream `i` on past `k` numbers, as `k` calls of next(i) would, in one step. */
  skip(i: number, k: number): void {
    this.states[i] = (this.states[i] + Math.imul(k, STEP)) >>> 0;
  }
}
