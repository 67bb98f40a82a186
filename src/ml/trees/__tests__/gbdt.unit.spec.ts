import { makeMatrix } from "../../data/matrix"
import { mulberry32 } from "../../data/split"
import { rocAuc } from "../../metrics/classification"
import { contributions } from "../explain"
import { trainGbdt } from "../gbdt"
import { predictProba, predictRaw, predictRawRow } from "../predict"

function xorData(n: number, seed: number) {
  const rng = mulberry32(seed)
  const x = makeMatrix(n, ["a", "b", "noise"])
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const a = rng()
    const b = rng()
    x.data.set([a, b, rng()], i * 3)
    y[i] = (a > 0.5) !== (b > 0.5) ? 1 : 0
  }
  return { x, y }
}

describe("histogram GBDT", () => {
  it("learns XOR, which no single split can, and training loss decreases", () => {
    const train = xorData(3000, 1)
    const test = xorData(1000, 2)
    const { model, trainLoss, gainImportance } = trainGbdt(train, { nRounds: 60, maxDepth: 3, learningRate: 0.3 })
    for (let i = 1; i < trainLoss.length; i++) expect(trainLoss[i]).toBeLessThanOrEqual(trainLoss[i - 1] + 1e-9)
    expect(trainLoss[trainLoss.length - 1]).toBeLessThan(0.2)
    const p = predictProba(model, test.x)
    let correct = 0
    for (let i = 0; i < p.length; i++) correct += (p[i] > 0.5 ? 1 : 0) === test.y[i] ? 1 : 0
    expect(correct / p.length).toBeGreaterThan(0.95)
    expect(gainImportance[2]).toBeLessThan(gainImportance[0] / 5)
  })

  it("uses x <= threshold to the left and folds the learning rate into leaves", () => {
    const x = makeMatrix(200, ["v"])
    const y = new Float64Array(200)
    for (let i = 0; i < 200; i++) {
      x.data[i] = i
      y[i] = i <= 120 ? 0 : 1
    }
    const { model } = trainGbdt({ x, y }, { nRounds: 1, maxDepth: 1, learningRate: 0.5, lambda: 0, minChildWeight: 0 })
    const root = model.trees[0].nodes[0]
    expect(root.threshold).toBe(120)
    const leftLeaf = model.trees[0].nodes[root.left]
    // Newton step on a pure-zero leaf from the base logit: -G/H = -(n p)/(n p(1-p)) = -1/(1-p), times lr.
    const p0 = 79 / 200
    expect(leftLeaf.value).toBeCloseTo((-1 / (1 - p0)) * 0.5, 6)
    expect(predictRawRow(model, [120])).toBeCloseTo(model.baseScore + leftLeaf.value, 9)
  })

  it("early-stops on a validation set and keeps the best rounds", () => {
    const train = xorData(500, 3)
    const noisy = { x: train.x, y: train.y.map((v, i) => (i % 3 === 0 ? 1 - v : v)) }
    const valid = xorData(500, 4)
    const r = trainGbdt(noisy, { nRounds: 400, maxDepth: 6, learningRate: 0.3, earlyStoppingRounds: 10 }, valid)
    expect(r.bestRounds).toBeLessThan(400)
    expect(r.model.trees.length).toBe(r.bestRounds)
  })

  it("contributions add up to the raw score and blame the informative feature", () => {
    const train = xorData(2000, 5)
    const { model } = trainGbdt(train, { nRounds: 30, maxDepth: 3, learningRate: 0.3 })
    const raw = predictRaw(model, train.x)
    for (let i = 0; i < 20; i++) {
      const row = train.x.data.subarray(i * 3, i * 3 + 3)
      const c = contributions(model, row)
      const sum = c.values.reduce((s, v) => s + v, c.baseline)
      expect(sum).toBeCloseTo(raw[i], 9)
      expect(Math.abs(c.values[2])).toBeLessThan(Math.abs(c.values[0]) + Math.abs(c.values[1]))
    }
  })

  it("squared objective fits a regression step and row/col subsampling still learn", () => {
    const train = xorData(2000, 6)
    const { model } = trainGbdt(train, { objective: "squared", nRounds: 80, maxDepth: 3, subsample: 0.7, colsample: 0.7, seed: 9 })
    expect(rocAuc(train.y, predictRaw(model, train.x))).toBeGreaterThan(0.97)
  })
})
