import { MfModel, PurchaseHistory } from "./types"
import { createRng, gaussian } from "./random"

export interface BprOptions {
  dim: number
  epochs: number
  learningRate: number
  regularization: number
  seed: number
}

export interface BprResult {
  model: MfModel
  /** Mean BPR loss (-log sigmoid of the pair margin) of each epoch. */
  losses: number[]
}

/**
 * Bayesian personalized ranking with item biases: the score of item i for user u is b_i + p_u . q_i; each
 * step takes one owned (u, i), one uniformly sampled item j not owned, and ascends log sigmoid(s_ui - s_uj).
 */
export function trainBpr(history: PurchaseHistory, nItems: number, opts: BprOptions): BprResult {
  const nUsers = history.userPtr.length - 1
  const { dim, learningRate: lr, regularization: reg } = opts
  const rng = createRng(opts.seed)
  const P = randomFactors(nUsers * dim, rng)
  const Q = randomFactors(nItems * dim, rng)
  const bias = new Float32Array(nItems)
  const pairs = history.item.length
  const ownerOf = ownerIndex(history)
  const losses: number[] = []
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    let loss = 0
    for (let step = 0; step < pairs; step++) {
      const k = Math.floor(rng() * pairs)
      const u = ownerOf[k]
      const i = history.item[k]
      const j = sampleNegative(history, u, nItems, rng)
      loss += bprStep(P, Q, bias, u * dim, i * dim, j * dim, i, j, dim, lr, reg)
    }
    losses.push(loss / Math.max(1, pairs))
  }
  return { model: { dim, userFactors: P, itemFactors: Q, itemBias: bias }, losses }
}

function bprStep(
  P: Float32Array,
  Q: Float32Array,
  bias: Float32Array,
  pu: number,
  qi: number,
  qj: number,
  i: number,
  j: number,
  dim: number,
  lr: number,
  reg: number
): number {
  let x = bias[i] - bias[j]
  for (let f = 0; f < dim; f++) x += P[pu + f] * (Q[qi + f] - Q[qj + f])
  const g = 1 / (1 + Math.exp(x)) // d(-log sigmoid(x))/dx = -(1 - sigmoid(x))
  bias[i] += lr * (g - reg * bias[i])
  bias[j] += lr * (-g - reg * bias[j])
  for (let f = 0; f < dim; f++) {
    const p = P[pu + f]
    const a = Q[qi + f]
    const b = Q[qj + f]
    P[pu + f] += lr * (g * (a - b) - reg * p)
    Q[qi + f] += lr * (g * p - reg * a)
    Q[qj + f] += lr * (-g * p - reg * b)
  }
  return x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x))
}

function randomFactors(n: number, rng: () => number): Float32Array {
  const a = new Float32Array(n)
  for (let k = 0; k < n; k++) a[k] = 0.1 * gaussian(rng)
  return a
}

function ownerIndex(h: PurchaseHistory): Int32Array {
  const owner = new Int32Array(h.item.length)
  for (let u = 0; u + 1 < h.userPtr.length; u++) owner.fill(u, h.userPtr[u], h.userPtr[u + 1])
  return owner
}

/** Uniform item the user does not own (a few retries; heavy users may keep an owned one). */
function sampleNegative(h: PurchaseHistory, u: number, nItems: number, rng: () => number): number {
  let j = 0
  for (let attempt = 0; attempt < 5; attempt++) {
    j = Math.floor(rng() * nItems)
    if (!owns(h, u, j)) return j
  }
  return j
}

/** Binary search in the user's ascending item row. */
export function owns(h: PurchaseHistory, u: number, item: number): boolean {
  let lo = h.userPtr[u]
  let hi = h.userPtr[u + 1] - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = h.item[mid]
    if (v === item) return true
    if (v < item) lo = mid + 1
    else hi = mid - 1
  }
  return false
}
