import type { Matrix } from "../data/matrix"
import type { TreeEnsemble } from "./types"
import { derivedOf } from "../runtime/derived"

/** Flat typed-array form of an ensemble for fast scoring; built once per ensemble object. */
interface Compiled {
  feature: Int32Array
  threshold: Float32Array
  left: Int32Array
  right: Int32Array
  value: Float64Array
  roots: Int32Array
}

const COMPILED = Symbol("compiled tree ensemble")

function compile(model: TreeEnsemble): Compiled {
  return derivedOf(model, COMPILED, compileArrays)
}

function compileArrays(model: TreeEnsemble): Compiled {
  let total = 0
  for (const t of model.trees) total += t.nodes.length
  const c: Compiled = {
    feature: new Int32Array(total),
    threshold: new Float32Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
    roots: new Int32Array(model.trees.length),
  }
  let off = 0
  model.trees.forEach((t, ti) => {
    c.roots[ti] = off
    t.nodes.forEach((n, k) => {
      c.feature[off + k] = n.feature
      c.threshold[off + k] = n.threshold
      c.left[off + k] = n.left < 0 ? -1 : off + n.left
      c.right[off + k] = n.right < 0 ? -1 : off + n.right
      c.value[off + k] = n.value
    })
    off += t.nodes.length
  })
  return c
}

/** Raw score of one row (a logit for logloss models). */
export function predictRawRow(model: TreeEnsemble, row: ArrayLike<number>): number {
  const c = compile(model)
  let s = model.baseScore
  for (let t = 0; t < c.roots.length; t++) {
    let k = c.roots[t]
    while (c.feature[k] >= 0) k = Math.fround(row[c.feature[k]]) <= c.threshold[k] ? c.left[k] : c.right[k]
    s += c.value[k]
  }
  return s
}

export function predictRaw(model: TreeEnsemble, x: Matrix): Float64Array {
  const out = new Float64Array(x.nRows)
  for (let i = 0; i < x.nRows; i++) out[i] = predictRawRow(model, x.data.subarray(i * x.nCols, (i + 1) * x.nCols))
  return out
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z))
}

/** P(y = 1) for logloss models; the raw prediction for squared-error models. */
export function predictProba(model: TreeEnsemble, x: Matrix): Float64Array {
  const raw = predictRaw(model, x)
  if (model.objective === "squared") return raw
  for (let i = 0; i < raw.length; i++) raw[i] = sigmoid(raw[i])
  return raw
}
