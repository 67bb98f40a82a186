import type { Calibrator } from "../calibration/calibration"
import type { TreeEnsemble } from "../trees/types"
import { GraphBuilder, floats, ints } from "./builder"
import { DataType } from "./proto"

/** Factor model as plain data: score(u, i) = globalBias + userBias[u] + itemBias[i] + U[u] . V[i]. */
export interface FactorModel {
  dim: number
  userFactors: Float32Array
  itemFactors: Float32Array
  userBias?: Float32Array
  itemBias?: Float32Array
  globalBias?: number
}

export interface MfExportOptions {
  /** "ids": int64 user_ids [B] gathered from the embedded user table; "vectors": float user_vectors [B,d]. */
  input: "ids" | "vectors"
  /** When set, outputs top_scores/top_indices [B,k] instead of scores [B,N]. */
  topK?: number
}

/** Matrix-factorization scoring graph: Gather user row + bias, MatMul with V^T, Add biases, optional TopK. */
export function exportMatrixFactorization(m: FactorModel, opts: MfExportOptions): Uint8Array {
  const nItems = m.itemFactors.length / m.dim
  const g = new GraphBuilder("mf_scoring").meta("model", "matrix-factorization")
  const itemsT = g.floatTensor("item_factors_t", [m.dim, nItems], transpose(m.itemFactors, nItems, m.dim))
  const itemBias = g.floatTensor("item_bias", [nItems], withGlobalBias(m.itemBias ?? new Float32Array(nItems), m.globalBias ?? 0))
  let userVec: string
  let scores: string
  if (opts.input === "ids") {
    const ids = g.input("user_ids", DataType.INT64, ["batch"])
    const nUsers = m.userFactors.length / m.dim
    const users = g.floatTensor("user_factors", [nUsers, m.dim], m.userFactors)
    userVec = g.node("Gather", [users, ids], { axis: 0 })
    const dot = g.node("MatMul", [userVec, itemsT])
    scores = g.node("Add", [dot, itemBias])
    if (m.userBias) {
      const ub = g.node("Gather", [g.floatTensor("user_bias", [nUsers], m.userBias), ids], { axis: 0 })
      const ubCol = g.node("Unsqueeze", [ub, g.int64Tensor("axis_1", [1], [1])])
      scores = g.node("Add", [scores, ubCol])
    }
  } else {
    userVec = g.input("user_vectors", DataType.FLOAT, ["batch", m.dim])
    scores = g.node("Add", [g.node("MatMul", [userVec, itemsT]), itemBias])
  }
  return finishScores(g, scores, nItems, opts.topK)
}

function finishScores(g: GraphBuilder, scores: string, nItems: number, topK?: number): Uint8Array {
  if (topK === undefined) {
    g.node("Identity", [scores], {}, ["scores"])
    g.output("scores", DataType.FLOAT, ["batch", nItems])
    return g.build()
  }
  const k = g.int64Tensor("k", [1], [Math.min(topK, nItems)])
  g.node("TopK", [scores, k], { axis: -1, largest: 1, sorted: 1 }, ["top_scores", "top_indices"])
  g.output("top_scores", DataType.FLOAT, ["batch", Math.min(topK, nItems)])
  g.output("top_indices", DataType.INT64, ["batch", Math.min(topK, nItems)])
  return g.build()
}

/** Batch scoring: user_vectors [B,d] x item_factors^T (embedded) -> scores [B,N] or top-k. */
export function exportBatchScoring(itemFactors: Float32Array, dim: number, topK?: number): Uint8Array {
  const nItems = itemFactors.length / dim
  const g = new GraphBuilder("batch_scoring").meta("model", "batch-scoring")
  const user = g.input("user_vectors", DataType.FLOAT, ["batch", dim])
  const scores = g.node("MatMul", [user, g.floatTensor("item_factors_t", [dim, nItems], transpose(itemFactors, nItems, dim))])
  return finishScores(g, scores, nItems, topK)
}

/** A bare MatMul with both operands as inputs: a [M,K] x b [K,N] -> c [M,N] (for throughput baselines). */
export function exportPlainMatMul(): Uint8Array {
  const g = new GraphBuilder("plain_matmul")
  const a = g.input("a", DataType.FLOAT, ["m", "k"])
  const b = g.input("b", DataType.FLOAT, ["k", "n"])
  g.node("MatMul", [a, b], {}, ["c"])
  g.output("c", DataType.FLOAT, ["m", "n"])
  return g.build()
}

/** Logistic regression on raw features: probability = sigmoid(x . w + b), also outputs the logit. */
export interface LinearModel {
  weights: ArrayLike<number>
  bias: number
}

export function exportLogisticRegression(m: LinearModel): Uint8Array {
  const nf = m.weights.length
  const g = new GraphBuilder("logistic_regression").meta("model", "logistic-regression")
  const x = g.input("features", DataType.FLOAT, ["batch", nf])
  const logit = g.node(
    "Add",
    [g.node("MatMul", [x, g.floatTensor("weights", [nf, 1], m.weights)]), g.floatTensor("bias", [1], [m.bias])],
    {},
    ["logit"]
  )
  g.node("Sigmoid", [logit], {}, ["probability"])
  g.output("logit", DataType.FLOAT, ["batch", 1])
  g.output("probability", DataType.FLOAT, ["batch", 1])
  return g.build()
}

/**
 * A logistic model fitted on standardized features, (x - mean) / scale: folded into raw-feature weights so
 * the graph takes raw features.
 */
export function foldStandardization(coef: ArrayLike<number>, intercept: number, mean: ArrayLike<number>, scale: ArrayLike<number>): LinearModel {
  const weights = Array.from(coef, (c, f) => c / scale[f])
  const bias = intercept - weights.reduce((s, w, f) => s + w * mean[f], 0)
  return { weights, bias }
}

/**
 * GBDT as ai.onnx.ml TreeEnsembleRegressor (BRANCH_LEQ: a row goes to the true/left child when
 * x[feature] <= threshold, compared in float32), outputs raw [B,1] and probability [B,1] =
 * calibrate(raw) when a calibrator is given, else sigmoid(raw).
 */
export function exportTreeEnsemble(ensemble: TreeEnsemble, calibrator?: Calibrator): Uint8Array {
  const nf = ensemble.featureNames.length
  const g = new GraphBuilder("tree_ensemble").meta("model", "tree-ensemble")
  const x = g.input("features", DataType.FLOAT, ["batch", nf])
  g.node("TreeEnsembleRegressor", [x], treeAttributes(ensemble), ["raw"], "ai.onnx.ml")
  g.output("raw", DataType.FLOAT, ["batch", 1])
  const probability = calibrator ? calibrationNodes(g, "raw", calibrator) : g.node("Sigmoid", ["raw"])
  g.node("Identity", [probability], {}, ["probability"])
  g.output("probability", DataType.FLOAT, ["batch", 1])
  return g.build()
}

function treeAttributes(e: TreeEnsemble) {
  const a = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    featureIds: [] as number[],
    modes: [] as string[],
    values: [] as number[],
    trueIds: [] as number[],
    falseIds: [] as number[],
    targetTree: [] as number[],
    targetNode: [] as number[],
    targetWeight: [] as number[],
  }
  e.trees.forEach((tree, t) => {
    tree.nodes.forEach((n, k) => {
      const leaf = n.feature < 0
      a.treeIds.push(t)
      a.nodeIds.push(k)
      a.featureIds.push(leaf ? 0 : n.feature)
      a.modes.push(leaf ? "LEAF" : "BRANCH_LEQ")
      a.values.push(leaf ? 0 : n.threshold)
      a.trueIds.push(leaf ? 0 : n.left)
      a.falseIds.push(leaf ? 0 : n.right)
      if (leaf) {
        a.targetTree.push(t)
        a.targetNode.push(k)
        a.targetWeight.push(n.value)
      }
    })
  })
  return {
    nodes_treeids: ints(a.treeIds),
    nodes_nodeids: ints(a.nodeIds),
    nodes_featureids: ints(a.featureIds),
    nodes_modes: a.modes,
    nodes_values: floats(a.values),
    nodes_truenodeids: ints(a.trueIds),
    nodes_falsenodeids: ints(a.falseIds),
    target_treeids: ints(a.targetTree),
    target_nodeids: ints(a.targetNode),
    target_ids: ints(a.targetTree.map(() => 0)),
    target_weights: floats(a.targetWeight),
    n_targets: 1,
    aggregate_function: "SUM",
    post_transform: "NONE",
    base_values: floats([e.baseScore]),
  }
}

/** Platt: sigmoid(a*raw + b). Isotonic: piecewise-linear interpolation over the knots, clamped at both ends. */
function calibrationNodes(g: GraphBuilder, raw: string, c: Calibrator): string {
  if (c.kind === "platt") {
    const z = g.node("Add", [g.node("Mul", [raw, g.floatTensor("platt_a", [1], [c.a])]), g.floatTensor("platt_b", [1], [c.b])])
    return g.node("Sigmoid", [z])
  }
  return isotonicNodes(g, raw, c.x, c.y)
}

/**
 * y0 + sum_j slope_j * clip(raw - x_j, 0, x_{j+1} - x_j): exactly linear interpolation between knots,
 * flat before the first and after the last.
 */
function isotonicNodes(g: GraphBuilder, raw: string, xs: number[], ys: number[]): string {
  if (xs.length === 1) return g.node("Add", [g.node("Mul", [raw, g.floatTensor("iso_zero", [1], [0])]), g.floatTensor("iso_y0", [1], [ys[0]])])
  const segments = xs.length - 1
  const starts: number[] = []
  const widths: number[] = []
  const slopes: number[] = []
  for (let j = 0; j < segments; j++) {
    const w = xs[j + 1] - xs[j]
    starts.push(xs[j])
    widths.push(w)
    slopes.push(w > 0 ? (ys[j + 1] - ys[j]) / w : 0)
  }
  const shifted = g.node("Sub", [raw, g.floatTensor("iso_starts", [1, segments], starts)])
  const clipped = g.node("Min", [g.node("Max", [shifted, g.floatTensor("iso_zero", [1], [0])]), g.floatTensor("iso_widths", [1, segments], widths)])
  const summed = g.node("MatMul", [clipped, g.floatTensor("iso_slopes", [segments, 1], slopes)])
  return g.node("Add", [summed, g.floatTensor("iso_y0", [1], [ys[0]])])
}

function withGlobalBias(bias: Float32Array, global: number): Float32Array {
  return global === 0 ? bias : bias.map((b) => b + global)
}

function transpose(rows: Float32Array, nRows: number, nCols: number): Float32Array {
  const t = new Float32Array(rows.length)
  for (let r = 0; r < nRows; r++) for (let c = 0; c < nCols; c++) t[c * nRows + r] = rows[r * nCols + c]
  return t
}

