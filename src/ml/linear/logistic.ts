import type { Matrix } from "../data/matrix"
import { sigmoid } from "../trees/predict"

/** L2-regularised logistic regression on standardised features, as plain data. */
export interface LogisticModel {
  featureNames: string[]
  means: number[]
  scales: number[]
  /** Coefficients on the standardised features. */
  coef: number[]
  intercept: number
  l2: number
}

export interface LogisticParams {
  /** Penalty on 0.5 * l2 * |coef|^2 per row-sum (sklearn C = 1 / l2). */
  l2: number
  maxIter: number
  tol: number
}

function standardization(x: Matrix): { means: number[]; scales: number[] } {
  const means = new Array<number>(x.nCols).fill(0)
  const sq = new Array<number>(x.nCols).fill(0)
  for (let i = 0; i < x.nRows; i++)
    for (let f = 0; f < x.nCols; f++) {
      const v = x.data[i * x.nCols + f]
      means[f] += v
      sq[f] += v * v
    }
  const scales = means.map((s, f) => {
    const m = s / x.nRows
    const variance = sq[f] / x.nRows - m * m
    return variance > 1e-12 ? Math.sqrt(variance) : 1
  })
  return { means: means.map((s) => s / x.nRows), scales }
}

/** Solves A z = b for a symmetric positive definite A (Cholesky), in place-safe. */
export function solveSpd(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d)
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k]
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * d + j]
    }
  const z = new Float64Array(d)
  for (let i = 0; i < d; i++) {
    let s = b[i]
    for (let k = 0; k < i; k++) s -= l[i * d + k] * z[k]
    z[i] = s / l[i * d + i]
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i]
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * z[k]
    z[i] = s / l[i * d + i]
  }
  return z
}

/**
 * Newton-Raphson (IRLS); the intercept (last parameter) is not penalised. With `weight`, each row's loss
 * counts that many times (e.g. inverse logged propensities).
 */
export function trainLogistic(x: Matrix, y: ArrayLike<number>, params: Partial<LogisticParams> = {}, weight?: ArrayLike<number>): LogisticModel {
  const p: LogisticParams = { l2: 1, maxIter: 50, tol: 1e-8, ...params }
  const { means, scales } = standardization(x)
  const d = x.nCols + 1
  const w = new Float64Array(d)
  const z = new Float64Array(d)
  for (let iter = 0; iter < p.maxIter; iter++) {
    const grad = new Float64Array(d)
    const hess = new Float64Array(d * d)
    for (let i = 0; i < x.nRows; i++) {
      for (let f = 0; f < x.nCols; f++) z[f] = (x.data[i * x.nCols + f] - means[f]) / scales[f]
      z[d - 1] = 1
      let s = 0
      for (let f = 0; f < d; f++) s += w[f] * z[f]
      const q = sigmoid(s)
      const wi = weight ? weight[i] : 1
      const r = wi * (q - y[i])
      const h = wi * Math.max(q * (1 - q), 1e-12)
      for (let a = 0; a < d; a++) {
        grad[a] += r * z[a]
        const hz = h * z[a]
        for (let b = 0; b <= a; b++) hess[a * d + b] += hz * z[b]
      }
    }
    for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) hess[b * d + a] = hess[a * d + b]
    for (let f = 0; f < d - 1; f++) {
      grad[f] += p.l2 * w[f]
      hess[f * d + f] += p.l2
    }
    const step = solveSpd(hess, grad, d)
    let maxStep = 0
    for (let f = 0; f < d; f++) {
      w[f] -= step[f]
      maxStep = Math.max(maxStep, Math.abs(step[f]))
    }
    if (maxStep < p.tol) break
  }
  return {
    featureNames: x.names.slice(),
    means,
    scales,
    coef: Array.from(w.subarray(0, d - 1)),
    intercept: w[d - 1],
    l2: p.l2,
  }
}

export function logisticRawRow(m: LogisticModel, row: ArrayLike<number>): number {
  let s = m.intercept
  for (let f = 0; f < m.coef.length; f++) s += (m.coef[f] * (row[f] - m.means[f])) / m.scales[f]
  return s
}

export function predictLogistic(m: LogisticModel, x: Matrix): Float64Array {
  const out = new Float64Array(x.nRows)
  for (let i = 0; i < x.nRows; i++) out[i] = sigmoid(logisticRawRow(m, x.data.subarray(i * x.nCols, (i + 1) * x.nCols)))
  return out
}

/** Coefficients on the original (unstandardised) scale: [intercept, ...coef]. */
export function originalScaleCoefficients(m: LogisticModel): { intercept: number; coef: number[] } {
  const coef = m.coef.map((c, f) => c / m.scales[f])
  const intercept = m.intercept - coef.reduce((s, c, f) => s + c * m.means[f], 0)
  return { intercept, coef }
}
