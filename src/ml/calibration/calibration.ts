/** Probability calibrators fitted on a held-out split, as plain JSON data. */
export interface PlattCalibrator {
  kind: "platt"
  /** p = sigmoid(a * score + b), where score is a raw (logit) score. */
  a: number
  b: number
}

export interface IsotonicCalibrator {
  kind: "isotonic"
  /** Increasing knots; predictions interpolate linearly between them and clamp outside. */
  x: number[]
  y: number[]
}

export type Calibrator = PlattCalibrator | IsotonicCalibrator

function plattLoss(scores: ArrayLike<number>, t: Float64Array, a: number, b: number): number {
  let s = 0
  for (let i = 0; i < scores.length; i++) {
    const z = a * scores[i] + b
    s += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t[i] * z
  }
  return s
}

/** Platt scaling by damped Newton on (a, b), with Platt's smoothed targets to avoid overconfidence. */
export function fitPlatt(scores: ArrayLike<number>, y: ArrayLike<number>): PlattCalibrator {
  let nPos = 0
  for (let i = 0; i < y.length; i++) nPos += y[i] > 0.5 ? 1 : 0
  const nNeg = y.length - nPos
  const hi = (nPos + 1) / (nPos + 2)
  const lo = 1 / (nNeg + 2)
  const t = Float64Array.from({ length: y.length }, (_, i) => (y[i] > 0.5 ? hi : lo))
  let a = 0
  let b = Math.log((nPos + 1) / (nNeg + 1))
  let loss = plattLoss(scores, t, a, b)
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0
    let gb = 0
    let haa = 1e-12
    let hab = 0
    let hbb = 1e-12
    for (let i = 0; i < scores.length; i++) {
      const p = 1 / (1 + Math.exp(-(a * scores[i] + b)))
      const r = p - t[i]
      const w = p * (1 - p)
      ga += r * scores[i]
      gb += r
      haa += w * scores[i] * scores[i]
      hab += w * scores[i]
      hbb += w
    }
    const det = haa * hbb - hab * hab
    const da = (hbb * ga - hab * gb) / det
    const db = (haa * gb - hab * ga) / det
    let step = 1
    let next = plattLoss(scores, t, a - da, b - db)
    while (next > loss && step > 1e-6) {
      step /= 2
      next = plattLoss(scores, t, a - step * da, b - step * db)
    }
    a -= step * da
    b -= step * db
    const improved = loss - next
    loss = next
    if (Math.abs(step * da) + Math.abs(step * db) < 1e-10 || improved < 1e-12 * scores.length) break
  }
  return { kind: "platt", a, b }
}

/** Pool-adjacent-violators isotonic regression of y on score (ties averaged first). */
export function fitIsotonic(scores: ArrayLike<number>, y: ArrayLike<number>): IsotonicCalibrator {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((i, j) => scores[i] - scores[j])
  const xs: number[] = []
  const sums: number[] = []
  const weights: number[] = []
  for (const i of order) {
    const last = xs.length - 1
    if (last >= 0 && xs[last] === scores[i]) {
      sums[last] += y[i]
      weights[last] += 1
    } else {
      xs.push(scores[i])
      sums.push(y[i])
      weights.push(1)
    }
  }
  // Blocks: each keeps its x range, total y and weight; merge while means decrease.
  const bx0: number[] = []
  const bx1: number[] = []
  const bs: number[] = []
  const bw: number[] = []
  for (let k = 0; k < xs.length; k++) {
    bx0.push(xs[k])
    bx1.push(xs[k])
    bs.push(sums[k])
    bw.push(weights[k])
    while (bs.length > 1) {
      const n = bs.length
      if (bs[n - 2] / bw[n - 2] <= bs[n - 1] / bw[n - 1]) break
      bs[n - 2] += bs[n - 1]
      bw[n - 2] += bw[n - 1]
      bx1[n - 2] = bx1[n - 1]
      bs.pop()
      bw.pop()
      bx0.pop()
      bx1.pop()
    }
  }
  const knotsX: number[] = []
  const knotsY: number[] = []
  for (let k = 0; k < bs.length; k++) {
    const m = bs[k] / bw[k]
    knotsX.push(bx0[k])
    knotsY.push(m)
    if (bx1[k] !== bx0[k]) {
      knotsX.push(bx1[k])
      knotsY.push(m)
    }
  }
  return { kind: "isotonic", x: knotsX, y: knotsY }
}

function interpolate(c: IsotonicCalibrator, s: number): number {
  const { x, y } = c
  if (s <= x[0]) return y[0]
  if (s >= x[x.length - 1]) return y[y.length - 1]
  let lo = 0
  let hi = x.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (x[mid] <= s) lo = mid
    else hi = mid
  }
  const t = (s - x[lo]) / (x[hi] - x[lo])
  return y[lo] + t * (y[hi] - y[lo])
}

export function calibrate(c: Calibrator, score: number): number {
  if (c.kind === "platt") return 1 / (1 + Math.exp(-(c.a * score + c.b)))
  return interpolate(c, score)
}

export function calibrateAll(c: Calibrator, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length)
  for (let i = 0; i < scores.length; i++) out[i] = calibrate(c, scores[i])
  return out
}
