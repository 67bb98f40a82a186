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
