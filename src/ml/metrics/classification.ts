/** Binary classification metrics; labels are 0/1, scores any real numbers (higher = more positive). */

function descendingOrder(scores: ArrayLike<number>): Int32Array {
  const idx = new Int32Array(scores.length)
  for (let i = 0; i < idx.length; i++) idx[i] = i
  return idx.sort((a, b) => scores[b] - scores[a] || a - b)
}

interface Counts {
  positives: number
  negatives: number
}

function countLabels(y: ArrayLike<number>): Counts {
  let positives = 0
  for (let i = 0; i < y.length; i++) if (y[i] > 0.5) positives++
  return { positives, negatives: y.length - positives }
}

/** Walks thresholds at distinct scores, from high to low, calling back with cumulative TP/FP. */
function walkThresholds(y: ArrayLike<number>, scores: ArrayLike<number>, visit: (tp: number, fp: number) => void): void {
  const order = descendingOrder(scores)
  let tp = 0
  let fp = 0
  for (let k = 0; k < order.length; k++) {
    const i = order[k]
    if (y[i] > 0.5) tp++
    else fp++
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) visit(tp, fp)
  }
}

/** Area under the ROC curve (trapezoids over distinct thresholds, i.e. ties count half). */
export function rocAuc(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { positives, negatives } = countLabels(y)
  if (positives === 0 || negatives === 0) return NaN
  let area = 0
  let prevTp = 0
  let prevFp = 0
  walkThresholds(y, scores, (tp, fp) => {
    area += ((fp - prevFp) * (tp + prevTp)) / 2
    prevTp = tp
    prevFp = fp
  })
  return area / (positives * negatives)
}

/** Average precision as scikit-learn: sum over thresholds of (recall step) x precision. */
export function averagePrecision(y: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { positives } = countLabels(y)
  if (positives === 0) return NaN
  let ap = 0
  let prevTp = 0
  walkThresholds(y, scores, (tp, fp) => {
    ap += ((tp - prevTp) / positives) * (tp / (tp + fp))
    prevTp = tp
  })
  return ap
}

export const prAuc = averagePrecision

/** Highest recall among thresholds whose false positive rate is <= maxFpr. */
export function recallAtFpr(y: ArrayLike<number>, scores: ArrayLike<number>, maxFpr: number): number {
  const { positives, negatives } = countLabels(y)
  if (positives === 0 || negatives === 0) return NaN
  let best = 0
  walkThresholds(y, scores, (tp, fp) => {
    if (fp / negatives <= maxFpr + 1e-12) best = Math.max(best, tp / positives)
  })
  return best
}

export function logloss(y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number {
  let s = 0
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]))
    s -= y[i] > 0.5 ? Math.log(q) : Math.log(1 - q)
  }
  return s / y.length
}

export function brier(y: ArrayLike<number>, p: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2
  return s / y.length
}

export function mean(v: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i]
  return s / v.length
}

/** Sample standard deviation (n - 1). */
export function std(v: ArrayLike<number>): number {
  if (v.length < 2) return 0
  const m = mean(v)
  let s = 0
  for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2
  return Math.sqrt(s / (v.length - 1))
}
