import type { Tree, TreeEnsemble, TreeNode } from "../trees/types"
import type { BaggedGbdt } from "./crossfit"
import type { UpliftModel } from "./learners"

/**
 * A T- or S-learner over discount levels as ONE tree ensemble over [features..., level]: each arm's trees
 * are gated by the level column (they only count for rows whose level is nearest that arm's), the bag is
 * averaged by scaling leaves, and each arm's Platt calibration is folded in (leaves times a, plus a gated
 * constant b), so sigmoid(raw) is the arm's calibrated P(buy). One ensemble exports to one ONNX graph and
 * scores in TypeScript alike.
 */
export function levelEnsemble(model: UpliftModel, levels: number[], featureNames: string[], levelName: string): TreeEnsemble {
  if (model.kind !== "t-learner" && model.kind !== "s-learner") throw new Error(`${model.kind} models give no P(buy | level)`)
  const nFeatures = featureNames.length
  const trees: Tree[] = []
  levels.forEach((level, arm) => {
    const lo = arm > 0 ? (levels[arm - 1] + level) / 2 : -Infinity
    const hi = arm < levels.length - 1 ? (level + levels[arm + 1]) / 2 : Infinity
    const bag = model.kind === "t-learner" ? model.perArm[arm] : model.pooled
    if (!bag) return
    const indicators = model.kind === "s-learner" ? armIndicatorValues(levels.length, model.control, arm) : []
    const { a, b } = plattOf(bag)
    const k = bag.ensembles.length
    const base = bag.ensembles.reduce((sum, ensemble) => sum + ensemble.baseScore, 0) / k
    trees.push(gate({ nodes: [leaf(0)] }, nFeatures, lo, hi, a * base + b))
    for (const ensemble of bag.ensembles) {
      for (const tree of ensemble.trees) {
        trees.push(gate(specialize(tree, nFeatures, indicators, a / k), nFeatures, lo, hi))
      }
    }
  })
  return { baseScore: 0, trees, featureNames: [...featureNames, levelName], objective: "logloss" }
}

function plattOf(bag: BaggedGbdt): { a: number; b: number } {
  const c = bag.calibrator
  if (!c) return { a: 1, b: 0 }
  if (c.kind !== "platt") throw new Error("only Platt calibration folds into the trees")
  return { a: c.a, b: c.b }
}

function armIndicatorValues(nArms: number, control: number, arm: number): number[] {
  const values: number[] = []
  for (let a = 0; a < nArms; a++) if (a !== control) values.push(a === arm ? 1 : 0)
  return values
}

function leaf(value: number): TreeNode {
  return { feature: -1, threshold: 0, left: -1, right: -1, value }
}

/**
 * A copy of the tree with splits on the arm-indicator columns (index >= nFeatures) resolved for this arm,
 * and leaves scaled by `scale`.
 */
function specialize(tree: Tree, nFeatures: number, indicators: number[], scale: number): Tree {
  const nodes: TreeNode[] = []
  const copy = (k: number): number => {
    let node = tree.nodes[k]
    while (node.feature >= nFeatures) {
      node = tree.nodes[Math.fround(indicators[node.feature - nFeatures]) <= node.threshold ? node.left : node.right]
    }
    const at = nodes.length
    if (node.feature < 0) {
      nodes.push(leaf(node.value * scale))
      return at
    }
    nodes.push({ feature: node.feature, threshold: node.threshold, left: -1, right: -1, value: 0 })
    nodes[at].left = copy(node.left)
    nodes[at].right = copy(node.right)
    return at
  }
  copy(0)
  return { nodes }
}

/**
 * The tree counts only when lo < x[level] <= hi; otherwise its leaf is 0. With `constant`, the gated
 * tree is that constant (the bag's calibrated intercept).
 */
function gate(tree: Tree, levelColumn: number, lo: number, hi: number, constant?: number): Tree {
  const body: TreeNode[] = constant === undefined ? tree.nodes : [leaf(constant)]
  const nodes: TreeNode[] = []
  const shift = (offset: number) => body.map((n) => (n.feature < 0 ? { ...n } : { ...n, left: n.left + offset, right: n.right + offset }))
  // Layout: [lo split?] [hi split?] [zero leaf] [body...]
  const splits = (Number.isFinite(lo) ? 1 : 0) + (Number.isFinite(hi) ? 1 : 0)
  if (splits === 0) return { nodes: body }
  const zero = splits
  const start = splits + 1
  if (Number.isFinite(lo)) nodes.push({ feature: levelColumn, threshold: lo, left: zero, right: Number.isFinite(hi) ? 1 : start, value: 0 })
  if (Number.isFinite(hi)) nodes.push({ feature: levelColumn, threshold: hi, left: start, right: zero, value: 0 })
  nodes.push(leaf(0))
  nodes.push(...shift(start))
  return { nodes }
}
