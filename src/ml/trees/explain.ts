import type { Tree, TreeEnsemble } from "./types"
import { derivedOf } from "../runtime/derived"

/**
 * Path-based (Saabas) feature contributions: walking a row down a tree, each split moves the expected
 * output from the parent's cover-weighted mean to the child's; that move is credited to the split feature.
 * Per row, baseline + sum(contributions) equals the raw score exactly.
 */
export interface Contributions {
  /** Expected raw score over the training data (baseScore + mean tree outputs). */
  baseline: number
  /** One entry per feature, in raw-score (logit) units. */
  values: Float64Array
}

const EXPECTATIONS = Symbol("node expectations")

function nodeExpectations(tree: Tree): Float64Array {
  return derivedOf(tree, EXPECTATIONS, computeNodeExpectations)
}

function computeNodeExpectations(tree: Tree): Float64Array {
  const e = new Float64Array(tree.nodes.length)
  const visit = (k: number): number => {
    const n = tree.nodes[k]
    if (n.feature < 0) return (e[k] = n.value)
    const l = visit(n.left)
    const r = visit(n.right)
    const cl = tree.nodes[n.left].cover ?? 1
    const cr = tree.nodes[n.right].cover ?? 1
    return (e[k] = cl + cr > 0 ? (cl * l + cr * r) / (cl + cr) : (l + r) / 2)
  }
  visit(0)
  return e
}

export function contributions(model: TreeEnsemble, row: ArrayLike<number>): Contributions {
  const values = new Float64Array(model.featureNames.length)
  let baseline = model.baseScore
  for (const tree of model.trees) {
    const e = nodeExpectations(tree)
    baseline += e[0]
    let k = 0
    while (tree.nodes[k].feature >= 0) {
      const n = tree.nodes[k]
      const next = Math.fround(row[n.feature]) <= n.threshold ? n.left : n.right
      values[n.feature] += e[next] - e[k]
      k = next
    }
  }
  return { baseline, values }
}
