/**
 * Uplift metrics with scikit-uplift semantics (y: 0/1 outcome, treatment: 0/1, uplift: predicted effect).
 * Ranking is "stable argsort ascending, then reversed", so among tied scores later rows come first, as in sklift.
 */

function sklearnDescendingOrder(uplift: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(uplift.length)
  for (let i = 0; i < idx.length; i++) idx[i] = i
  idx.sort((a, b) => uplift[a] - uplift[b] || a - b)
  return idx.reverse()
}

export type UpliftAtKStrategy = "overall" | "by_group"

/** Treated-minus-control outcome rate among the top k share ranked by predicted uplift. */
export function upliftAtK(
  y: ArrayLike<number>,
  uplift: ArrayLike<number>,
  treatment: ArrayLike<number>,
  k = 0.3,
  strategy: UpliftAtKStrategy = "overall"
): number {
  const order = sklearnDescendingOrder(uplift)
  const n = y.length
  const sums = [0, 0]
  const counts = [0, 0]
  if (strategy === "overall") {
    const top = Math.floor(n * k)
    for (let r = 0; r < top; r++) {
      const i = order[r]
      const t = treatment[i] ? 1 : 0
      sums[t] += y[i]
      counts[t]++
    }
  } else {
    let nt = 0
    for (let i = 0; i < n; i++) nt += treatment[i] ? 1 : 0
    const limits = [Math.floor((n - nt) * k), Math.floor(nt * k)]
    for (let r = 0; r < n; r++) {
      const i = order[r]
      const t = treatment[i] ? 1 : 0
      if (counts[t] >= limits[t]) continue
      sums[t] += y[i]
      counts[t]++
    }
  }
  return sums[1] / counts[1] - sums[0] / counts[0]
}

export interface Curve {
  x: Float64Array
  y: Float64Array
}

/**
 * Qini curve: at each distinct-score cut, treated responders minus control responders scaled to the treated count.
 * With `weight` (e.g. inverse logged propensities), every count is a sum of the rows' weights.
 */
export function qiniCurve(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, weight?: ArrayLike<number>): Curve {
  const order = sklearnDescendingOrder(uplift)
  const xs: number[] = [0]
  const ys: number[] = [0]
  let nAll = 0
  let nt = 0
  let yt = 0
  let yc = 0
  for (let r = 0; r < order.length; r++) {
    const i = order[r]
    const w = weight ? weight[i] : 1
    nAll += w
    if (treatment[i]) {
      nt += w
      yt += w * y[i]
    } else yc += w * y[i]
    const last = r === order.length - 1
    if (last || uplift[order[r + 1]] !== uplift[i]) {
      const nc = nAll - nt
      xs.push(nAll)
      ys.push(yt - (nc > 0 ? (yc * nt) / nc : 0))
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) }
}

export function trapezoidArea(c: Curve): number {
  let a = 0
  for (let i = 1; i < c.x.length; i++) a += ((c.x[i] - c.x[i - 1]) * (c.y[i] + c.y[i - 1])) / 2
  return a
}

/** The curve of a model that ranks by the realised outcome (negative effects allowed, as sklift's default). */
export function perfectQiniCurve(y: ArrayLike<number>, treatment: ArrayLike<number>, weight?: ArrayLike<number>): Curve {
  const perfect = new Float64Array(y.length)
  for (let i = 0; i < y.length; i++) perfect[i] = treatment[i] ? y[i] : -y[i]
  return qiniCurve(y, perfect, treatment, weight)
}

/**
 * Normalised Qini AUC as sklift `qini_auc_score`: (model area - random) / (perfect area - random).
 * With `weight`, the inverse-propensity weighted curves (a log whose arms were not assigned uniformly).
 */
export function qiniAucScore(y: ArrayLike<number>, uplift: ArrayLike<number>, treatment: ArrayLike<number>, weight?: ArrayLike<number>): number {
  const actual = trapezoidArea(qiniCurve(y, uplift, treatment, weight))
  const perfectCurve = perfectQiniCurve(y, treatment, weight)
  const perfect = trapezoidArea(perfectCurve)
  const last = perfectCurve.x.length - 1
  const baseline = (perfectCurve.x[last] * perfectCurve.y[last]) / 2
  return (actual - baseline) / (perfect - baseline)
}

/** Average treatment effect (treated mean minus control mean): the uplift of random targeting. */
export function ate(y: ArrayLike<number>, treatment: ArrayLike<number>): number {
  const s = [0, 0]
  const c = [0, 0]
  for (let i = 0; i < y.length; i++) {
    const t = treatment[i] ? 1 : 0
    s[t] += y[i]
    c[t]++
  }
  return s[1] / c[1] - s[0] / c[0]
}
