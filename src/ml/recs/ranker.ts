import { trainGbdt } from "../trees/gbdt"
import { predictRawRow } from "../trees/predict"
import { GbdtRankerOptions, Ranker } from "./types"

export interface RankerData {
  /** Row-major rows x featureCount. */
  x: Float64Array
  y: Uint8Array
  /** Row weights (e.g. 1/sampling rate of subsampled negatives). */
  weight: Float64Array
  featureCount: number
}

export interface RankerFitOptions {
  l2: number
  iterations: number
  learningRate: number
}

/** Weighted logistic regression on standardized features, full-batch Adam with an L2 penalty. */
export function fitRanker(data: RankerData, featureNames: string[], opts: RankerFitOptions): Ranker {
  const nf = data.featureCount
  const rows = Array.from(data.y.keys())
  const { mean, scale } = standardization(data, rows, nf)
  const z = standardizedMatrix(data, rows, mean, scale)
  const w = adamLogistic(z, Float64Array.from(data.y), data.weight, nf, opts)
  return { featureNames, mean, scale, weights: Array.from(w.subarray(0, nf)), bias: w[nf] }
}

/**
 * Boosted trees (binary logloss, weighted rows) on the raw features. The tree ensemble stands alone; the
 * linear fields of the Ranker are left neutral (zero weights).
 */
export function fitGbdtRanker(data: RankerData, featureNames: string[], opts: Required<GbdtRankerOptions>, seed: number): Ranker {
  const nf = data.featureCount
  const n = data.y.length
  const x = { data: Float32Array.from(data.x), nRows: n, nCols: nf, names: featureNames }
  const { model } = trainGbdt(
    { x, y: data.y, weight: data.weight },
    {
      objective: "logloss",
      nRounds: opts.rounds,
      learningRate: opts.learningRate,
      maxDepth: opts.maxDepth,
      maxLeaves: opts.maxLeaves > 0 ? opts.maxLeaves : undefined,
      minChildWeight: opts.minChildWeight,
      lambda: opts.lambda,
      subsample: opts.subsample,
      colsample: opts.colsample,
      seed,
      recordTrainLoss: false,
    }
  )
  for (const t of model.trees) for (const node of t.nodes) delete node.cover
  const zeros = new Array(nf).fill(0)
  return { featureNames, mean: zeros, scale: new Array(nf).fill(1), weights: zeros.slice(), bias: 0, trees: model }
}

export function rankerScore(r: Ranker, x: ArrayLike<number>, offset = 0): number {
  if (r.trees) return predictRawRow(r.trees, offset === 0 ? x : Array.prototype.slice.call(x, offset, offset + r.featureNames.length))
  let s = r.bias
  for (let f = 0; f < r.weights.length; f++) s += (r.weights[f] * (x[offset + f] - r.mean[f])) / r.scale[f]
  return s
}

function standardization(data: RankerData, rows: number[], nf: number): { mean: number[]; scale: number[] } {
  const mean = new Array(nf).fill(0)
  const sq = new Array(nf).fill(0)
  for (const r of rows) {
    for (let f = 0; f < nf; f++) {
      const v = data.x[r * nf + f]
      mean[f] += v
      sq[f] += v * v
    }
  }
  const n = Math.max(1, rows.length)
  const scale = mean.map((m, f) => {
    const variance = sq[f] / n - (m / n) ** 2
    return variance > 1e-12 ? Math.sqrt(variance) : 1
  })
  return { mean: mean.map((m) => m / n), scale }
}

function standardizedMatrix(data: RankerData, rows: number[], mean: number[], scale: number[]): Float64Array {
  const nf = data.featureCount
  const z = new Float64Array(rows.length * nf)
  rows.forEach((r, k) => {
    for (let f = 0; f < nf; f++) z[k * nf + f] = (data.x[r * nf + f] - mean[f]) / scale[f]
  })
  return z
}

/** Returns nf weights followed by the bias. */
function adamLogistic(
  z: Float64Array,
  y: Float64Array,
  weight: Float64Array,
  nf: number,
  opts: RankerFitOptions
): Float64Array {
  const p = nf + 1
  const w = new Float64Array(p)
  const m = new Float64Array(p)
  const v = new Float64Array(p)
  const g = new Float64Array(p)
  let totalWeight = 0
  for (let k = 0; k < weight.length; k++) totalWeight += weight[k]
  for (let t = 1; t <= opts.iterations; t++) {
    g.fill(0)
    for (let k = 0; k < y.length; k++) {
      let s = w[nf]
      for (let f = 0; f < nf; f++) s += w[f] * z[k * nf + f]
      const d = weight[k] * (1 / (1 + Math.exp(-s)) - y[k])
      for (let f = 0; f < nf; f++) g[f] += d * z[k * nf + f]
      g[nf] += d
    }
    for (let f = 0; f < p; f++) {
      const grad = g[f] / totalWeight + (f < nf ? opts.l2 * w[f] : 0)
      m[f] = 0.9 * m[f] + 0.1 * grad
      v[f] = 0.999 * v[f] + 0.001 * grad * grad
      w[f] -= (opts.learningRate * (m[f] / (1 - 0.9 ** t))) / (Math.sqrt(v[f] / (1 - 0.999 ** t)) + 1e-8)
    }
  }
  return w
}
