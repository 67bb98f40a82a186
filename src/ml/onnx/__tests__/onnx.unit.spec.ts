/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import type { TreeEnsemble, TreeNode } from "../../trees/types"
import type { Calibrator } from "../../calibration/calibration"
import {
  exportBatchScoring,
  exportLogisticRegression,
  exportMatrixFactorization,
  exportPlainMatMul,
  exportTreeEnsemble,
  FactorModel,
} from "../exporters"
import { logisticProbability, mfScoresForUser, mfScoresForVector, treeProbability } from "../reference"
import { decodeModel } from "../builder"
import { OnnxScorer, floatInput, int64Input } from "../../runtime"
import { createRng } from "../../recs/random"

const TOL = 1e-5
const cpu = { providers: ["cpu"] as string[] }

function randomArray(n: number, rng: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale)
}

function factorModel(seed: number, nUsers = 7, nItems = 13, dim = 5): FactorModel {
  const rng = createRng(seed)
  return {
    dim,
    userFactors: randomArray(nUsers * dim, rng),
    itemFactors: randomArray(nItems * dim, rng),
    userBias: randomArray(nUsers, rng),
    itemBias: randomArray(nItems, rng),
    globalBias: 0.25,
  }
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length)
  let worst = 0
  for (let k = 0; k < actual.length; k++) worst = Math.max(worst, Math.abs(actual[k] - expected[k]))
  expect(worst).toBeLessThan(TOL)
}

describe("ONNX export parity with the TypeScript reference (onnxruntime-node, cpu)", () => {
  it("writes a decodable ModelProto with the ai.onnx.ml opset only when needed", () => {
    const mf = decodeModel(exportMatrixFactorization(factorModel(1), { input: "ids" }))
    expect(mf.opsets).toEqual({ "": 17 })
    const tree = decodeModel(exportTreeEnsemble(tinyEnsemble()))
    expect(tree.opsets).toEqual({ "": 17, "ai.onnx.ml": 3 })
  })

  it("scores matrix factorization by user id, all items", async () => {
    const m = factorModel(2)
    const scorer = await OnnxScorer.fromBytes(exportMatrixFactorization(m, { input: "ids" }), cpu)
    const users = [0, 3, 6, 3]
    const out = await scorer.run({ user_ids: int64Input(users) })
    expect(out.scores.dims).toEqual([4, 13])
    const expected = users.flatMap((u) => Array.from(mfScoresForUser(m, u)))
    expectClose(out.scores.data as Float32Array, expected)
  })

  it("returns the reference top-k items and scores", async () => {
    const m = factorModel(3, 5, 40, 8)
    const scorer = await OnnxScorer.fromBytes(exportMatrixFactorization(m, { input: "ids", topK: 6 }), cpu)
    const out = await scorer.run({ user_ids: int64Input([0, 1, 2, 3, 4]) })
    for (let u = 0; u < 5; u++) {
      const ref = mfScoresForUser(m, u)
      const order = Array.from(ref.keys()).sort((a, b) => ref[b] - ref[a]).slice(0, 6)
      const idx = Array.from((out.top_indices.data as BigInt64Array).slice(u * 6, u * 6 + 6), Number)
      expect(idx).toEqual(order)
      expectClose((out.top_scores.data as Float32Array).slice(u * 6, u * 6 + 6), order.map((i) => ref[i]))
    }
  })

  it("scores user vectors against embedded item factors (fold-in and batch graphs)", async () => {
    const m = factorModel(4, 3, 21, 6)
    const rng = createRng(9)
    const vectors = randomArray(4 * 6, rng)
    const expected = [0, 1, 2, 3].flatMap((b) => Array.from(mfScoresForVector(m, vectors.subarray(b * 6, b * 6 + 6))))
    const withBias = await OnnxScorer.fromBytes(exportMatrixFactorization(m, { input: "vectors" }), cpu)
    expectClose((await withBias.run({ user_vectors: floatInput(vectors, [4, 6]) })).scores.data as Float32Array, expected)
    const plain = { ...m, itemBias: undefined, globalBias: 0 }
    const batch = await OnnxScorer.fromBytes(exportBatchScoring(m.itemFactors, 6), cpu)
    const expectedPlain = [0, 1, 2, 3].flatMap((b) => Array.from(mfScoresForVector(plain, vectors.subarray(b * 6, b * 6 + 6))))
    expectClose((await batch.run({ user_vectors: floatInput(vectors, [4, 6]) })).scores.data as Float32Array, expectedPlain)
  })

  it("multiplies two inputs in the plain MatMul graph", async () => {
    const scorer = await OnnxScorer.fromBytes(exportPlainMatMul(), cpu)
    const out = await scorer.run({
      a: floatInput(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]),
      b: floatInput(new Float32Array([1, 0, 0, 1, 1, 1]), [3, 2]),
    })
    expect(Array.from(out.c.data as Float32Array)).toEqual([4, 5, 10, 11])
  })

  it("matches logistic regression probabilities", async () => {
    const rng = createRng(5)
    const model = { weights: Array.from(randomArray(9, rng, 2)), bias: -0.3 }
    const x = randomArray(50 * 9, rng, 3)
    const scorer = await OnnxScorer.fromBytes(exportLogisticRegression(model), cpu)
    const p = await scorer.runMatrix("features", x, 50, "probability")
    expectClose(p, Array.from({ length: 50 }, (_, r) => logisticProbability(model, x.subarray(r * 9, r * 9 + 9))))
  })

  it.each<[string, Calibrator | undefined]>([
    ["sigmoid", undefined],
    ["platt", { kind: "platt", a: 1.7, b: -0.4 }],
    ["isotonic", { kind: "isotonic", x: [-2, -0.5, 0, 0.7, 3], y: [0.02, 0.1, 0.3, 0.31, 0.9] }],
  ])("matches a random tree ensemble with %s output", async (_name, calibrator) => {
    const rng = createRng(11)
    const ensemble = randomEnsemble(rng, 25, 4, 6)
    const x = randomArray(400 * 6, rng, 2)
    // Rows exactly on a threshold must take the left (<=) branch in both implementations.
    x[0] = ensemble.trees[0].nodes[0].threshold
    const scorer = await OnnxScorer.fromBytes(exportTreeEnsemble(ensemble, calibrator), cpu)
    const p = await scorer.runMatrix("features", x, 400, "probability")
    expectClose(p, Array.from({ length: 400 }, (_, r) => treeProbability(ensemble, x.subarray(r * 6, r * 6 + 6), calibrator)))
  })

  it("detects a wrong branch direction (the parity check can fail)", async () => {
    const e = tinyEnsemble()
    const flipped: TreeEnsemble = { ...e, trees: e.trees.map((t) => ({ nodes: t.nodes.map((n) => ({ ...n, left: n.right, right: n.left })) })) }
    const scorer = await OnnxScorer.fromBytes(exportTreeEnsemble(flipped), cpu)
    const p = await scorer.runMatrix("features", new Float32Array([0, 0]), 1, "probability")
    expect(Math.abs(p[0] - treeProbability(e, [0, 0]))).toBeGreaterThan(0.1)
  })
})

function tinyEnsemble(): TreeEnsemble {
  const leaf = (value: number): TreeNode => ({ feature: -1, threshold: 0, left: -1, right: -1, value })
  return {
    baseScore: 0.1,
    featureNames: ["a", "b"],
    trees: [{ nodes: [{ feature: 0, threshold: 0.5, left: 1, right: 2, value: 0 }, leaf(-1), leaf(2)] }],
  }
}

function randomEnsemble(rng: () => number, nTrees: number, depth: number, nFeatures: number): TreeEnsemble {
  const trees = Array.from({ length: nTrees }, () => {
    const nodes: TreeNode[] = []
    const grow = (d: number): number => {
      const id = nodes.length
      if (d === depth || (d > 1 && rng() < 0.2)) {
        nodes.push({ feature: -1, threshold: 0, left: -1, right: -1, value: (rng() - 0.5) * 0.4 })
        return id
      }
      nodes.push({ feature: Math.floor(rng() * nFeatures), threshold: Math.fround((rng() * 2 - 1) * 1.5), left: -1, right: -1, value: 0 })
      nodes[id].left = grow(d + 1)
      nodes[id].right = grow(d + 1)
      return id
    }
    grow(0)
    return { nodes }
  })
  return { baseScore: -0.2, trees, featureNames: Array.from({ length: nFeatures }, (_, f) => `f${f}`) }
}
