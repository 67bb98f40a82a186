/** Seeded PRNG (mulberry32): returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** In-place Fisher-Yates shuffle. */
export function shuffleInPlace<T extends { length: number; [i: number]: any }>(arr: T, rng: () => number): T {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const t = arr[i]
    arr[i] = arr[j]
    arr[j] = t
  }
  return arr
}

export function range(n: number): Int32Array {
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = i
  return out
}

export function permutation(n: number, seed: number): Int32Array {
  return shuffleInPlace(range(n), mulberry32(seed))
}

export interface Split {
  train: Int32Array
  test: Int32Array
}

/** Seeded random split of row indices 0..n-1; test gets round(n * testFraction) rows. Indices come back sorted. */
export function trainTestSplit(n: number, testFraction: number, seed: number): Split {
  const perm = permutation(n, seed)
  const nTest = Math.round(n * testFraction)
  return { test: perm.slice(0, nTest).sort(), train: perm.slice(nTest).sort() }
}

/** Seeded split that keeps each class's share (labels may be any integers). */
export function stratifiedSplit(labels: ArrayLike<number>, testFraction: number, seed: number): Split {
  const byClass = new Map<number, number[]>()
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]
    if (!byClass.has(c)) byClass.set(c, [])
    byClass.get(c)!.push(i)
  }
  const rng = mulberry32(seed)
  const train: number[] = []
  const test: number[] = []
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = shuffleInPlace(byClass.get(c)!, rng)
    const nTest = Math.round(idx.length * testFraction)
    for (let i = 0; i < idx.length; i++) (i < nTest ? test : train).push(idx[i])
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() }
}

/** Gathers rows of a row-major matrix (nCols wide) into a new matrix. */
export function takeRows(x: Float32Array, nCols: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * nCols)
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * nCols, rows[i] * nCols + nCols), i * nCols)
  return out
}

export function take<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(v: T, rows: ArrayLike<number>): T {
  const out = new (v.constructor as any)(rows.length) as T
  for (let i = 0; i < rows.length; i++) out[i] = v[rows[i]]
  return out
}

/** MT19937 seeded like numpy's legacy `RandomState(seed)` (init_genrand), yielding 32-bit words. */
export function mt19937(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error("seed must be an integer from 0 to 2**32 - 1")
  const mt = new Uint32Array(624)
  let index = 624
  mt[0] = seed >>> 0
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1] ^ (mt[i - 1] >>> 30)
    // 1812433253 * prev + i, in 32-bit arithmetic.
    mt[i] = (Math.imul(1812433253, prev) + i) >>> 0
  }
  const twist = () => {
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff)
      mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
    }
    index = 0
  }
  return () => {
    if (index >= 624) twist()
    let y = mt[index++]
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
}

/** numpy `RandomState(seed).shuffle(items)` on a 1-d array, in place: Fisher-Yates from the end with masked rejection sampling. */
export function numpyShuffle<T extends { length: number; [i: number]: any }>(items: T, seed: number): T {
  const next = mt19937(seed)
  for (let i = items.length - 1; i > 0; i--) {
    let mask = i
    mask |= mask >>> 1
    mask |= mask >>> 2
    mask |= mask >>> 4
    mask |= mask >>> 8
    mask |= mask >>> 16
    let j: number
    do j = (next() & mask) >>> 0
    while (j > i)
    const t = items[i]
    items[i] = items[j]
    items[j] = t
  }
  return items
}

/** numpy `RandomState(seed).permutation(n)`. */
export function numpyPermutation(n: number, seed: number): Int32Array {
  return numpyShuffle(range(n), seed)
}

/**
 * scikit-learn `train_test_split(range(n), test_size, random_state=seed)` row positions (shuffle=True):
 * test = the first ceil(test_size * n) of numpy's permutation, train = the next floor((1 - test_size) * n).
 * Index order is kept as sklearn returns it.
 */
export function sklearnTrainTestSplit(n: number, testSize: number, seed: number): Split {
  const perm = numpyPermutation(n, seed)
  const nTest = Math.ceil(testSize * n)
  const nTrain = Math.floor((1 - testSize) * n)
  return { test: perm.slice(0, nTest), train: perm.slice(nTest, nTest + nTrain) }
}
