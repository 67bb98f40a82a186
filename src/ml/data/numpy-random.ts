/**
 * numpy's legacy `np.random.RandomState(seed)` for an integer seed, as far as `permutation` and `shuffle` go,
 * so that our splits are the very rows scikit-learn protocols pick (numpy 1.x/2.x legacy streams are frozen).
 */

const STATE_SIZE = 624
const SHIFT_SIZE = 397
const UPPER_MASK = 0x80000000
const LOWER_MASK = 0x7fffffff
const MATRIX_A = 0x9908b0df

/** MT19937 seeded as numpy's `mt19937_seed` (init_genrand): returns the next 32-bit draw, unsigned. */
export function mt19937(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error("seed must be an integer from 0 to 2**32 - 1")
  const key = new Uint32Array(STATE_SIZE)
  key[0] = seed
  for (let i = 1; i < STATE_SIZE; i++) key[i] = Math.imul(1812433253, key[i - 1] ^ (key[i - 1] >>> 30)) + i
  let position = STATE_SIZE
  const regenerate = () => {
    for (let i = 0; i < STATE_SIZE; i++) {
      const y = (key[i] & UPPER_MASK) | (key[(i + 1) % STATE_SIZE] & LOWER_MASK)
      key[i] = key[(i + SHIFT_SIZE) % STATE_SIZE] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)
    }
    position = 0
  }
  return () => {
    if (position === STATE_SIZE) regenerate()
    let y = key[position++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
}

/** numpy's `random_interval`: uniform on 0..max by rejection on the draw masked to max's bit width. */
function randomInterval(next: () => number, max: number): number {
  if (max === 0) return 0
  let mask = max
  for (const shift of [1, 2, 4, 8, 16]) mask |= mask >>> shift
  mask >>>= 0
  let value: number
  do value = (next() & mask) >>> 0
  while (value > max)
  return value
}

/** `RandomState(seed).shuffle(items)` on a 1-d array: Fisher-Yates from the end. */
export function numpyShuffle<T extends { length: number; [i: number]: any }>(items: T, seed: number): T {
  const next = mt19937(seed)
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInterval(next, i)
    const swap = items[i]
    items[i] = items[j]
    items[j] = swap
  }
  return items
}

/** `np.random.RandomState(seed).permutation(n)`. */
export function numpyPermutation(n: number, seed: number): Int32Array {
  return numpyShuffle(Int32Array.from({ length: n }, (_, i) => i), seed)
}
