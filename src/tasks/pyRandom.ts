/**
 * Python's `random.Random` (CPython 3.11): the Mersenne Twister MT19937,
 * seeded from an integer the way CPython seeds it, with `random()`,
 * `gauss()` and `choice()` drawing from the stream exactly as CPython does.
 *
 * Why: langdetect draws from this generator, so with the same seed Heed's
 * language detector takes the very same random walk as Python's and gives
 * the same answer, which makes it testable against the original.
 */

const N = 624;
const M = 397;

export class PyRandom {
  private mt = new Uint32Array(N);
  private index = N;
  private gaussNext: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** random.seed(n) for a non-negative integer below 2^32: init_by_array([n]). */
  seed(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32) throw new Error(`seed must be an integer in [0, 2^32), got ${n}`);
    const mt = this.mt;
    mt[0] = 19650218;
    for (let i = 1; i < N; i++) mt[i] = Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
    let i = 1;
    for (let k = N; k > 0; k--) {
      // One key word (the seed), so the key index j stays 0.
      mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1664525)) + n;
      if (++i >= N) [mt[0], i] = [mt[N - 1], 1];
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = (mt[i] ^ Math.imul(mt[i - 1] ^ (mt[i - 1] >>> 30), 1566083941)) - i;
      if (++i >= N) [mt[0], i] = [mt[N - 1], 1];
    }
    mt[0] = 0x80000000;
    this.index = N;
    this.gaussNext = null;
  }

  /** The next 32-bit output of MT19937. */
  uint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** random.random(): 53 random bits in [0, 1). */
  random(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** random.gauss(mu, sigma): Box-Muller, keeping the second value for the next call. */
  gauss(mu = 0, sigma = 1): number {
    let z = this.gaussNext;
    this.gaussNext = null;
    if (z === null) {
      const x2pi = this.random() * 2 * Math.PI;
      const g2rad = Math.sqrt(-2 * Math.log(1 - this.random()));
      z = Math.cos(x2pi) * g2rad;
      this.gaussNext = Math.sin(x2pi) * g2rad;
    }
    return mu + z * sigma;
  }

  /** random.choice(seq): rejection sampling on n.bit_length() bits, as _randbelow does. */
  choice<T>(seq: readonly T[]): T {
    const n = seq.length;
    if (n === 0 || n >= 2 ** 32) throw new Error(`choice needs 1 to 2^32 - 1 items, got ${n}`);
    const k = 32 - Math.clz32(n);
    let r = this.uint32() >>> (32 - k);
    while (r >= n) r = this.uint32() >>> (32 - k);
    return seq[r];
  }
}
