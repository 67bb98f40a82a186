import { makeMatrix } from "../../data/matrix"
import { mulberry32 } from "../../data/split"
import { bestArm, predictArmProbabilities, predictUplift, trainUplift, UpliftLearnerKind } from "../learners"

/** Arm 1 helps only when a > 0.5, arm 2 only when b > 0.5; control converts at 20%. */
function planted(n: number, seed: number) {
  const rng = mulberry32(seed)
  const x = makeMatrix(n, ["a", "b", "noise"])
  const arm = new Int32Array(n)
  const y = new Float64Array(n)
  const truth = (a: number, b: number, d: number) => 0.2 + (d === 1 && a > 0.5 ? 0.3 : 0) + (d === 2 && b > 0.5 ? 0.3 : 0)
  for (let i = 0; i < n; i++) {
    const a = rng()
    const b = rng()
    x.data.set([a, b, rng()], i * 3)
    arm[i] = Math.floor(rng() * 3)
    y[i] = rng() < truth(a, b, arm[i]) ? 1 : 0
  }
  return { x, arm, y, truth }
}

const params = { maxDepth: 2, learningRate: 0.1, nRounds: 100, minChildWeight: 5, earlyStoppingRounds: 20 }

describe.each<UpliftLearnerKind>(["t-learner", "s-learner", "x-learner", "dr-learner", "class-transformation"])("%s", (kind) => {
  it("recovers a planted heterogeneous effect for each arm", () => {
    const train = planted(6000, 1)
    const model = trainUplift(train, { kind, arms: ["none", "small", "large"], control: 0, params, folds: 3, repeats: 1, seed: 7 })
    const test = planted(2000, 2)
    const u = predictUplift(model, test.x)
    const meanWhere = (v: Float64Array, pred: (i: number) => boolean) => {
      let s = 0
      let c = 0
      v.forEach((val, i) => pred(i) && ((s += val), c++))
      return s / c
    }
    const a = (i: number) => test.x.data[i * 3]
    const b = (i: number) => test.x.data[i * 3 + 1]
    expect(meanWhere(u[1], (i) => a(i) > 0.5) - meanWhere(u[1], (i) => a(i) <= 0.5)).toBeGreaterThan(0.2)
    expect(meanWhere(u[2], (i) => b(i) > 0.5) - meanWhere(u[2], (i) => b(i) <= 0.5)).toBeGreaterThan(0.2)
    const best = bestArm(u, 0)
    let right = 0
    let counted = 0
    best.arm.forEach((arm, i) => {
      const want = a(i) > 0.6 && b(i) < 0.4 ? 1 : b(i) > 0.6 && a(i) < 0.4 ? 2 : -1
      if (want < 0) return
      counted++
      right += arm === want ? 1 : 0
    })
    expect(right / counted).toBeGreaterThan(0.9)
    expect(JSON.parse(JSON.stringify(model)).kind).toBe(kind)
  })
})

it("T-learner probabilities are calibrated per arm", () => {
  const train = planted(6000, 3)
  const model = trainUplift(train, { kind: "t-learner", arms: ["none", "small", "large"], control: 0, params, folds: 3, repeats: 1, seed: 1 })
  const test = planted(3000, 4)
  const p = predictArmProbabilities(model, test.x)
  let err = 0
  for (let i = 0; i < test.x.nRows; i++) err += Math.abs(p[2][i] - test.truth(test.x.data[i * 3], test.x.data[i * 3 + 1], 2))
  expect(err / test.x.nRows).toBeLessThan(0.05)
})
