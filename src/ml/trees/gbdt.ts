import type { Matrix } from "../data/matrix"
import { mulberry32 } from "../data/split"
import { applyBins, BinMapper, fitBinMapper } from "./binning"
import { predictRaw, sigmoid } from "./predict"
import type { Tree, TreeEnsemble, TreeNode } from "./types"

/** Histogram gradient boosting with best-first (leaf-wise) growth bounded by maxDepth and maxLeaves. */
export interface GbdtParams {
  objective: "logloss" | "squared"
  nRounds: number
  learningRate: number
  maxDepth: number
  /** Defaults to 2^maxDepth, i.e. depth-wise-sized trees. */
  maxLeaves?: number
  /** Minimum hessian sum per child (XGBoost min_child_weight). */
  minChildWeight: number
  minSamplesLeaf: number
  /** L2 penalty on leaf values. */
  lambda: number
  /** Minimum loss reduction to split. */
  gamma: number
  /** Row share sampled per tree. */
  subsample: number
  /** Feature share sampled per tree. */
  colsample: number
  maxBins: number
  /** Stop when the validation loss has not improved for this many rounds (needs a validation set). */
  earlyStoppingRounds: number
  seed: number
  /** The training loss of each round (trainLoss); a pass over every row per round, so callers that do not read it turn it off. */
  recordTrainLoss: boolean
}

export const defaultGbdtParams: GbdtParams = {
  objective: "logloss",
  nRounds: 200,
  learningRate: 0.1,
  maxDepth: 4,
  minChildWeight: 1,
  minSamplesLeaf: 1,
  lambda: 1,
  gamma: 0,
  subsample: 1,
  colsample: 1,
  maxBins: 255,
  earlyStoppingRounds: 30,
  seed: 42,
  recordTrainLoss: true,
}

export interface LabeledData {
  x: Matrix
  y: ArrayLike<number>
  weight?: ArrayLike<number>
}

export interface GbdtResult {
  model: TreeEnsemble
  /** Rounds kept (best validation round when early stopping). */
  bestRounds: number
  trainLoss: number[]
  validLoss: number[]
  /** Total split gain per feature. */
  gainImportance: Float64Array
}

interface Split {
  gain: number
  feature: number
  bin: number
  gl: number
  hl: number
  cl: number
}

interface Leaf {
  nodeIndex: number
  start: number
  end: number
  depth: number
  g: number
  h: number
  hist: Float64Array
  split: Split | null
}

/** Histogram layout: for feature f, bin b: [g, h, count] at 3 * (offset[f] + b). */
interface Layout {
  offsets: Int32Array
  nBins: Int32Array
  total: number
}

function makeLayout(mapper: BinMapper): Layout {
  const nf = mapper.edges.length
  const offsets = new Int32Array(nf)
  const nBins = new Int32Array(nf)
  let total = 0
  for (let f = 0; f < nf; f++) {
    offsets[f] = total
    nBins[f] = mapper.edges[f].length + 1
    total += nBins[f]
  }
  return { offsets, nBins, total }
}

/**
 * Gradient, hessian and count sums per (feature, bin) of rows[start, end). Row by row over the row-major
 * bins: each row's gradient and hessian are read once for all its features, instead of once per feature.
 */
function buildHistogram(
  binRows: Uint8Array,
  nCols: number,
  features: Int32Array,
  layout: Layout,
  rows: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array
): Float64Array {
  const hist = new Float64Array(layout.total * 3)
  const nf = features.length
  const offsets = new Int32Array(nf)
  for (let k = 0; k < nf; k++) offsets[k] = layout.offsets[features[k]]
  for (let k = start; k < end; k++) {
    const i = rows[k]
    const gi = g[i]
    const hi = h[i]
    const base = i * nCols
    for (let f = 0; f < nf; f++) {
      const j = 3 * (offsets[f] + binRows[base + features[f]])
      hist[j] += gi
      hist[j + 1] += hi
      hist[j + 2] += 1
    }
  }
  return hist
}

function subtractHistogram(parent: Float64Array, child: Float64Array): Float64Array {
  const out = new Float64Array(parent.length)
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i]
  return out
}

function leafScore(g: number, h: number, lambda: number): number {
  return (g * g) / (h + lambda)
}

function findBestSplit(leaf: Leaf, features: Int32Array, layout: Layout, p: GbdtParams): Split | null {
  const count = leaf.end - leaf.start
  const parentScore = leafScore(leaf.g, leaf.h, p.lambda)
  let best: Split | null = null
  for (const f of features) {
    const off = layout.offsets[f]
    let gl = 0
    let hl = 0
    let cl = 0
    for (let b = 0; b < layout.nBins[f] - 1; b++) {
      const j = 3 * (off + b)
      gl += leaf.hist[j]
      hl += leaf.hist[j + 1]
      cl += leaf.hist[j + 2]
      const cr = count - cl
      if (cl < p.minSamplesLeaf) continue
      if (cr < p.minSamplesLeaf) break
      const hr = leaf.h - hl
      if (hl < p.minChildWeight || hr < p.minChildWeight) continue
      const gain = 0.5 * (leafScore(gl, hl, p.lambda) + leafScore(leaf.g - gl, hr, p.lambda) - parentScore) - p.gamma
      if (gain > 1e-12 && (!best || gain > best.gain)) best = { gain, feature: f, bin: b, gl, hl, cl }
    }
  }
  return best
}

/** Stable in-place partition of rows[start, end) by bin <= splitBin; returns the boundary. */
function partition(rows: Int32Array, scratch: Int32Array, start: number, end: number, col: Uint8Array, base: number, bin: number): number {
  let l = start
  let r = 0
  for (let k = start; k < end; k++) {
    const i = rows[k]
    if (col[base + i] <= bin) rows[l++] = i
    else scratch[r++] = i
  }
  rows.set(scratch.subarray(0, r), l)
  return l
}

function sampleFeatures(nf: number, share: number, rng: () => number): Int32Array {
  const all = Array.from({ length: nf }, (_, i) => i)
  if (share >= 1) return Int32Array.from(all)
  const k = Math.max(1, Math.round(nf * share))
  for (let i = nf - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[all[i], all[j]] = [all[j], all[i]]
  }
  return Int32Array.from(all.slice(0, k)).sort()
}

function sampleRows(n: number, share: number, rng: () => number): Int32Array {
  const out = new Int32Array(n)
  if (share >= 1) {
    for (let i = 0; i < n; i++) out[i] = i
    return out
  }
  let kept = 0
  for (let i = 0; i < n; i++) if (rng() < share) out[kept++] = i
  return out.subarray(0, kept)
}

interface BuiltTree {
  tree: Tree
  /** Split bin per node (-1 on leaves) to route binned training rows without float compares. */
  splitBins: Int32Array
}

/** The training rows' bins twice: by column (partitions, routing) and by row (histograms). */
interface BinnedRows {
  byColumn: Uint8Array
  byRow: Uint8Array
  nRows: number
  nCols: number
}

function binnedRows(x: Matrix, mapper: BinMapper): BinnedRows {
  const byColumn = applyBins(x, mapper)
  const byRow = new Uint8Array(byColumn.length)
  for (let f = 0; f < x.nCols; f++) {
    const base = f * x.nRows
    for (let i = 0; i < x.nRows; i++) byRow[i * x.nCols + f] = byColumn[base + i]
  }
  return { byColumn, byRow, nRows: x.nRows, nCols: x.nCols }
}

function growTree(
  binned: BinnedRows,
  layout: Layout,
  mapper: BinMapper,
  g: Float64Array,
  h: Float64Array,
  rows: Int32Array,
  features: Int32Array,
  p: GbdtParams,
  gainImportance: Float64Array
): BuiltTree {
  const maxLeaves = p.maxLeaves ?? 2 ** p.maxDepth
  const nodes: TreeNode[] = []
  const splitBins: number[] = []
  const scratch = new Int32Array(rows.length)
  let gs = 0
  let hs = 0
  for (const i of rows) {
    gs += g[i]
    hs += h[i]
  }
  const newLeaf = (start: number, end: number, depth: number, gl: number, hl: number, hist: Float64Array): Leaf => {
    nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value: 0, cover: hl })
    splitBins.push(-1)
    const leaf: Leaf = { nodeIndex: nodes.length - 1, start, end, depth, g: gl, h: hl, hist, split: null }
    if (depth < p.maxDepth) leaf.split = findBestSplit(leaf, features, layout, p)
    return leaf
  }
  const root = newLeaf(0, rows.length, 0, gs, hs, buildHistogram(binned.byRow, binned.nCols, features, layout, rows, 0, rows.length, g, h))
  const open: Leaf[] = [root]
  let nLeaves = 1
  while (nLeaves < maxLeaves) {
    let bestIdx = -1
    for (let i = 0; i < open.length; i++) {
      const s = open[i].split
      if (s && (bestIdx < 0 || s.gain > open[bestIdx].split!.gain)) bestIdx = i
    }
    if (bestIdx < 0) break
    const leaf = open.splice(bestIdx, 1)[0]
    const s = leaf.split!
    gainImportance[s.feature] += s.gain
    const mid = partition(rows, scratch, leaf.start, leaf.end, binned.byColumn, s.feature * binned.nRows, s.bin)
    const leftSmaller = mid - leaf.start <= leaf.end - mid
    const small = leftSmaller
      ? buildHistogram(binned.byRow, binned.nCols, features, layout, rows, leaf.start, mid, g, h)
      : buildHistogram(binned.byRow, binned.nCols, features, layout, rows, mid, leaf.end, g, h)
    const large = subtractHistogram(leaf.hist, small)
    leaf.hist = new Float64Array(0)
    const node = nodes[leaf.nodeIndex]
    node.feature = s.feature
    node.threshold = mapper.edges[s.feature][s.bin]
    splitBins[leaf.nodeIndex] = s.bin
    const left = newLeaf(leaf.start, mid, leaf.depth + 1, s.gl, s.hl, leftSmaller ? small : large)
    const right = newLeaf(mid, leaf.end, leaf.depth + 1, leaf.g - s.gl, leaf.h - s.hl, leftSmaller ? large : small)
    node.left = left.nodeIndex
    node.right = right.nodeIndex
    open.push(left, right)
    nLeaves++
  }
  for (const leaf of open) {
    nodes[leaf.nodeIndex].value = (-leaf.g / (leaf.h + p.lambda)) * p.learningRate
  }
  return { tree: { nodes }, splitBins: Int32Array.from(splitBins) }
}

function routeBinned(built: BuiltTree, bins: Uint8Array, nRows: number, i: number): number {
  const nodes = built.tree.nodes
  let k = 0
  while (nodes[k].feature >= 0) k = bins[nodes[k].feature * nRows + i] <= built.splitBins[k] ? nodes[k].left : nodes[k].right
  return nodes[k].value
}

function weightAt(w: ArrayLike<number> | undefined, i: number): number {
  return w ? w[i] : 1
}

function baseScoreFor(data: LabeledData, objective: GbdtParams["objective"]): number {
  let sy = 0
  let sw = 0
  for (let i = 0; i < data.y.length; i++) {
    const w = weightAt(data.weight, i)
    sy += w * data.y[i]
    sw += w
  }
  const m = sy / sw
  if (objective === "squared") return m
  const p = Math.min(1 - 1e-6, Math.max(1e-6, m))
  return Math.log(p / (1 - p))
}

function gradients(raw: Float64Array, data: LabeledData, objective: GbdtParams["objective"], g: Float64Array, h: Float64Array): void {
  for (let i = 0; i < raw.length; i++) {
    const w = weightAt(data.weight, i)
    if (objective === "squared") {
      g[i] = w * (raw[i] - data.y[i])
      h[i] = w
    } else {
      const p = sigmoid(raw[i])
      g[i] = w * (p - data.y[i])
      h[i] = w * Math.max(p * (1 - p), 1e-16)
    }
  }
}

export function lossOf(raw: ArrayLike<number>, data: LabeledData, objective: GbdtParams["objective"]): number {
  let s = 0
  let sw = 0
  for (let i = 0; i < raw.length; i++) {
    const w = weightAt(data.weight, i)
    const y = data.y[i]
    if (objective === "squared") s += w * (raw[i] - y) ** 2
    else {
      // log(1 + e^z) - y z, computed stably.
      const z = raw[i]
      s += w * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z)
    }
    sw += w
  }
  return s / sw
}

function addTreeToRaw(tree: Tree, x: Matrix, raw: Float64Array): void {
  const nodes = tree.nodes
  for (let i = 0; i < x.nRows; i++) {
    const o = i * x.nCols
    let k = 0
    while (nodes[k].feature >= 0) k = Math.fround(x.data[o + nodes[k].feature]) <= nodes[k].threshold ? nodes[k].left : nodes[k].right
    raw[i] += nodes[k].value
  }
}

export function trainGbdt(train: LabeledData, params: Partial<GbdtParams> = {}, valid?: LabeledData): GbdtResult {
  const p: GbdtParams = { ...defaultGbdtParams, ...params }
  const n = train.x.nRows
  const mapper = fitBinMapper(train.x, p.maxBins)
  const binned = binnedRows(train.x, mapper)
  const layout = makeLayout(mapper)
  const rng = mulberry32(p.seed)
  const baseScore = baseScoreFor(train, p.objective)
  const raw = new Float64Array(n).fill(baseScore)
  const validRaw = valid ? new Float64Array(valid.x.nRows).fill(baseScore) : null
  const g = new Float64Array(n)
  const h = new Float64Array(n)
  const trees: Tree[] = []
  const trainLoss: number[] = []
  const validLoss: number[] = []
  const gainImportance = new Float64Array(train.x.nCols)
  let bestLoss = Infinity
  let bestRounds = 0
  for (let round = 0; round < p.nRounds; round++) {
    gradients(raw, train, p.objective, g, h)
    const rows = sampleRows(n, p.subsample, rng)
    const features = sampleFeatures(train.x.nCols, p.colsample, rng)
    const built = growTree(binned, layout, mapper, g, h, rows, features, p, gainImportance)
    trees.push(built.tree)
    for (let i = 0; i < n; i++) raw[i] += routeBinned(built, binned.byColumn, n, i)
    if (p.recordTrainLoss) trainLoss.push(lossOf(raw, train, p.objective))
    if (valid && validRaw) {
      addTreeToRaw(built.tree, valid.x, validRaw)
      const l = lossOf(validRaw, valid, p.objective)
      validLoss.push(l)
      if (l < bestLoss - 1e-9) {
        bestLoss = l
        bestRounds = round + 1
      } else if (round + 1 - bestRounds >= p.earlyStoppingRounds) break
    } else bestRounds = round + 1
  }
  const model: TreeEnsemble = {
    baseScore,
    trees: trees.slice(0, Math.max(bestRounds, 1)),
    featureNames: train.x.names.slice(),
    objective: p.objective,
  }
  return { model, bestRounds, trainLoss, validLoss, gainImportance }
}

/** Convenience: raw scores of a fitted ensemble. */
export { predictRaw }
