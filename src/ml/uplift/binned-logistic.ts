import type { Matrix } from "../data/matrix"
import { makeMatrix, selectRows } from "../data/matrix"
import { mulberry32, shuffleInPlace } from "../data/split"
import { logloss } from "../metrics/classification"
import { originalScaleCoefficients, trainLogistic } from "../linear/logistic"
import type { LogisticModel } from "../linear/logistic"
import { sigmoid } from "../trees/predict"
import type { Tree, TreeEnsemble, TreeNode } from "../trees/types"
import type { BaggedGbdt } from "./crossfit"
import type { UpliftModel, UpliftOptions, UpliftTrainData } from "./learners"

/**
 * A regularised logistic regression on binned features: every column becomes one indicator per bin (its
 * distinct values when few, else quantile bins), so each feature's effect is a step function and the whole
 * model is additive. That makes it exactly one small tree per feature (bins as splits, the feature's summed
 * terms as leaves): the trees serve it through ONNX and the TypeScript scorer with no approximation. Logistic
 * models need far fewer rows per arm than boosted trees, which is what a per-level outcome model learning
 * from explored decisions has.
 */
export interface BinnedLogisticParams {
  /**
   * "linear": the regression reads the columns as they are (one coefficient each) and the trees step its
   * linear terms over `servingBins` bins (exact for columns with that few values, the bin's mean otherwise);
   * "binned": the regression reads one indicator per bin of at most `maxBins` (exact as trees).
   */
  form: "linear" | "binned"
  /** At most this many bins per column (quantile bins above it). */
  maxBins: number
  servingBins: number
  /** L2 penalties tried; the one with the best cross-fitted (weighted) log loss is kept per arm. */
  l2Grid: number[]
  folds: number
}

/**
 * Hillstrom, whole learning half (offline-harness.ts, seeds 42 and 1): linear 3.4073, binned at 2 bins 3.4148, at
 * 4 bins 3.3886 and 12 bins 3.3206 (seed 42): the linear form, the simplest, as the default.
 */
export const BINNED_LOGISTIC_DEFAULTS: BinnedLogisticParams = { form: "linear", maxBins: 12, servingBins: 64, l2Grid: [1, 10, 100], folds: 4 }

/** Per column, the upper bounds of its bins but the last (float32, as the tree scorers compare). */
export type Bins = number[][]

export function fitBins(x: Matrix, maxBins: number): Bins {
  return x.names.map((_, f) => {
    const values = Float64Array.from({ length: x.nRows }, (_, i) => Math.fround(x.data[i * x.nCols + f])).sort()
    const distinct = [...new Set(values)]
    if (distinct.length <= maxBins) return distinct.slice(0, -1).map((v, k) => Math.fround((v + distinct[k + 1]) / 2))
    const cuts = new Set<number>()
    for (let b = 1; b < maxBins; b++) {
      const q = values[Math.floor((b * values.length) / maxBins)]
      const above = distinct.find((v) => v > q)
      if (above !== undefined) cuts.add(Math.fround((q + above) / 2))
    }
    return [...cuts].sort((a, b) => a - b)
  })
}

function binOf(bounds: number[], value: number): number {
  const v = Math.fround(value)
  let k = 0
  while (k < bounds.length && v > bounds[k]) k++
  return k
}

/** One indicator column per bin of every column that has more than one bin. */
export function binnedMatrix(x: Matrix, bins: Bins): Matrix {
  const names = x.names.flatMap((name, f) => (bins[f].length ? Array.from({ length: bins[f].length + 1 }, (_, k) => `${name}#${k}`) : []))
  const out = makeMatrix(x.nRows, names)
  for (let i = 0; i < x.nRows; i++) {
    let offset = 0
    for (let f = 0; f < x.nCols; f++) {
      if (!bins[f].length) continue
      out.data[i * out.nCols + offset + binOf(bins[f], x.data[i * x.nCols + f])] = 1
      offset += bins[f].length + 1
    }
  }
  return out
}

/** The logistic model as trees over the original columns: sigmoid(baseScore + leaves) is its probability. */
export function logisticAsTrees(model: LogisticModel, bins: Bins, featureNames: string[]): TreeEnsemble {
  const trees: Tree[] = []
  let column = 0
  bins.forEach((bounds, f) => {
    if (!bounds.length) return
    const width = bounds.length + 1
    const term = (bin: number) => {
      let sum = 0
      for (let k = 0; k < width; k++) sum += (model.coef[column + k] * ((k === bin ? 1 : 0) - model.means[column + k])) / model.scales[column + k]
      return sum
    }
    trees.push({ nodes: stepTree(f, bounds, term) })
    column += width
  })
  return { baseScore: model.intercept, trees, featureNames: featureNames.slice(), objective: "logloss" }
}

/** A balanced tree over the bin bounds of column `feature`, bin k's leaf worth `term(k)`. */
function stepTree(feature: number, bounds: number[], term: (bin: number) => number): TreeNode[] {
  const nodes: TreeNode[] = []
  const build = (lo: number, hi: number): number => {
    const at = nodes.length
    if (lo === hi) {
      nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value: term(lo) })
      return at
    }
    const mid = Math.floor((lo + hi) / 2)
    nodes.push({ feature, threshold: bounds[mid], left: -1, right: -1, value: 0 })
    nodes[at].left = build(lo, mid)
    nodes[at].right = build(mid + 1, hi)
    return at
  }
  build(0, bounds.length)
  return nodes
}

function fitArm(x: Matrix, y: Float64Array, weight: Float64Array | undefined, bins: Bins, l2: number, form: BinnedLogisticParams["form"]): TreeEnsemble {
  if (form === "binned") return logisticAsTrees(trainLogistic(binnedMatrix(x, bins), y, { l2, maxIter: 25, tol: 1e-6 }, weight), bins, x.names)
  return linearAsTrees(trainLogistic(x, y, { l2, maxIter: 25, tol: 1e-6 }, weight), bins, x)
}

/** A linear logistic model as trees: each column's term stepped over its bins at the mean training value of the bin. */
export function linearAsTrees(model: LogisticModel, bins: Bins, x: Matrix): TreeEnsemble {
  const trees: Tree[] = []
  bins.forEach((bounds, f) => {
    if (!bounds.length || model.coef[f] === 0) return
    const sums = new Float64Array(bounds.length + 1)
    const counts = new Float64Array(bounds.length + 1)
    for (let i = 0; i < x.nRows; i++) {
      const v = x.data[i * x.nCols + f]
      const k = binOf(bounds, v)
      sums[k] += v
      counts[k]++
    }
    const at = (k: number) => (counts[k] ? sums[k] / counts[k] : k < bounds.length ? bounds[k] : bounds[k - 1])
    trees.push({ nodes: stepTree(f, bounds, (k) => (model.coef[f] * (at(k) - model.means[f])) / model.scales[f]) })
  })
  return { baseScore: model.intercept, trees, featureNames: x.names.slice(), objective: "logloss" }
}

function probabilities(ensemble: TreeEnsemble, x: Matrix): Float64Array {
  const out = new Float64Array(x.nRows)
  const leaves = ensemble.trees.map((tree) => tree.nodes)
  for (let i = 0; i < x.nRows; i++) {
    let raw = ensemble.baseScore
    for (const nodes of leaves) {
      let k = 0
      while (nodes[k].feature >= 0) k = Math.fround(x.data[i * x.nCols + nodes[k].feature]) <= nodes[k].threshold ? nodes[k].left : nodes[k].right
      raw += nodes[k].value
    }
    out[i] = sigmoid(raw)
  }
  return out
}

/**
 * A T-learner of binned logistic regressions (one per arm, weighted by inverse propensity), served as
 * trees; `oofP` as the tree T-learner gives it: a row's own arm scored by the fold model that did not see
 * it, other arms by the arm's model (which never saw the row). The L2 penalty is chosen per arm by
 * cross-fitted log loss.
 */
export function trainBinnedLogisticTLearner(
  d: UpliftTrainData,
  o: Pick<UpliftOptions, "arms" | "control" | "seed">,
  params: BinnedLogisticParams = BINNED_LOGISTIC_DEFAULTS
): { model: UpliftModel; oofP: Float64Array[] } {
  const bins = fitBins(d.x, params.form === "binned" ? params.maxBins : params.servingBins)
  const oofP: Float64Array[] = o.arms.map(() => new Float64Array(d.x.nRows))
  const perArm = o.arms.map((_, a): BaggedGbdt | null => {
    const rows: number[] = []
    d.arm.forEach((v, i) => v === a && rows.push(i))
    if (rows.length === 0) return null
    const x = selectRows(d.x, rows)
    const y = Float64Array.from(rows, (i) => d.y[i])
    const w = d.weight && Float64Array.from(rows, (i) => d.weight![i])
    const fold = shuffleInPlace(Int32Array.from(rows, (_, k) => k % params.folds), mulberry32(o.seed * 31 + a))
    let best: { l2: number; loss: number; oof: Float64Array } | null = null
    for (const l2 of params.l2Grid) {
      const oof = new Float64Array(rows.length)
      for (let k = 0; k < params.folds; k++) {
        const fit = rows.map((_, j) => j).filter((j) => fold[j] !== k)
        const out = rows.map((_, j) => j).filter((j) => fold[j] === k)
        if (!fit.length || !out.length) continue
        const trees = fitArm(selectRows(x, fit), Float64Array.from(fit, (j) => y[j]), w && Float64Array.from(fit, (j) => w[j]), bins, l2, params.form)
        probabilities(trees, selectRows(x, out)).forEach((p, m) => (oof[out[m]] = p))
      }
      const loss = weightedLogloss(y, oof, w)
      if (!best || loss < best.loss) best = { l2, loss, oof }
    }
    const trees = fitArm(x, y, w, bins, best!.l2, params.form)
    oofP[a] = probabilities(trees, d.x)
    rows.forEach((i, j) => (oofP[a][i] = best!.oof[j]))
    return { ensembles: [trees], calibrator: { kind: "platt", a: 1, b: 0 } }
  })
  const model: UpliftModel = { kind: "t-learner", arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm, pooled: null }
  return { model, oofP }
}

function weightedLogloss(y: Float64Array, p: Float64Array, w?: Float64Array): number {
  if (!w) return logloss(Array.from(y), p)
  let sum = 0
  let total = 0
  y.forEach((label, i) => {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p[i]))
    sum -= w[i] * (label ? Math.log(q) : Math.log(1 - q))
    total += w[i]
  })
  return sum / total
}

/**
 * A pooled (S-learner) logistic regression: the features, one indicator per treated arm and each treated arm's
 * features (arm indicator x feature), under one L2 penalty, so the arms share their feature effects and an arm's
 * difference from control is shrunk toward none. Served as one linear model per arm (its intercept and the
 * shared plus the arm's own coefficients), stepped into trees as the T-learner's; `oofP` from the fold models.
 */
export function trainPooledLogistic(
  d: UpliftTrainData,
  o: Pick<UpliftOptions, "arms" | "control" | "seed">,
  l2: number,
  params: BinnedLogisticParams = BINNED_LOGISTIC_DEFAULTS
): { model: UpliftModel; oofP: Float64Array[] } {
  const bins = fitBins(d.x, params.servingBins)
  const n = d.x.nRows
  const fold = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i % params.folds), mulberry32(o.seed * 31 + 7))
  const oofP: Float64Array[] = o.arms.map(() => new Float64Array(n))
  const all = Array.from({ length: n }, (_, i) => i)
  for (let k = 0; k < params.folds; k++) {
    const fit = all.filter((i) => fold[i] !== k)
    const out = all.filter((i) => fold[i] === k)
    const arms = fitPooledArms(d, fit, o, l2, bins)
    const outX = selectRows(d.x, out)
    arms.forEach((trees, a) => probabilities(trees, outX).forEach((p, m) => (oofP[a][out[m]] = p)))
  }
  const perArm = fitPooledArms(d, all, o, l2, bins).map((trees): BaggedGbdt => ({ ensembles: [trees], calibrator: { kind: "platt", a: 1, b: 0 } }))
  return { model: { kind: "t-learner", arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm, pooled: null }, oofP }
}

function fitPooledArms(d: UpliftTrainData, rows: number[], o: Pick<UpliftOptions, "arms" | "control">, l2: number, bins: Bins): TreeEnsemble[] {
  const x = selectRows(d.x, rows)
  const treated = o.arms.map((_, a) => a).filter((a) => a !== o.control)
  const names = [...x.names, ...treated.map((a) => `arm:${a}`), ...treated.flatMap((a) => x.names.map((name) => `arm:${a}*${name}`))]
  const wide = makeMatrix(rows.length, names)
  rows.forEach((i, r) => {
    const own = x.data.subarray(r * x.nCols, (r + 1) * x.nCols)
    const at = r * wide.nCols
    wide.data.set(own, at)
    const slot = treated.indexOf(d.arm[i])
    if (slot < 0) return
    wide.data[at + x.nCols + slot] = 1
    wide.data.set(own, at + x.nCols + treated.length + slot * x.nCols)
  })
  const y = Float64Array.from(rows, (i) => d.y[i])
  const w = d.weight && Float64Array.from(rows, (i) => d.weight![i])
  const { intercept, coef } = originalScaleCoefficients(trainLogistic(wide, y, { l2, maxIter: 25, tol: 1e-6 }, w))
  return o.arms.map((_, a) => {
    const slot = treated.indexOf(a)
    const own = x.names.map((_, f) => coef[f] + (slot < 0 ? 0 : coef[x.nCols + treated.length + slot * x.nCols + f]))
    const armModel: LogisticModel = {
      featureNames: x.names.slice(), means: own.map(() => 0), scales: own.map(() => 1), coef: own,
      intercept: intercept + (slot < 0 ? 0 : coef[x.nCols + slot]), l2,
    }
    return linearAsTrees(armModel, bins, x)
  })
}
