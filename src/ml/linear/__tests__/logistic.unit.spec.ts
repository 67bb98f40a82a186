import { makeMatrix } from "../../data/matrix"
import { mulberry32 } from "../../data/split"
import { originalScaleCoefficients, predictLogistic, trainLogistic } from "../logistic"

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
}

describe("logistic regression", () => {
  it("recovers known coefficients on unscaled features", () => {
    const rng = mulberry32(7)
    const n = 20000
    const x = makeMatrix(n, ["a", "b", "c"])
    const y = new Float64Array(n)
    const truth = { intercept: -0.5, coef: [1.5, -0.02, 0] }
    for (let i = 0; i < n; i++) {
      const row = [gaussian(rng), 100 * gaussian(rng) + 50, gaussian(rng)]
      x.data.set(row, i * 3)
      const z = truth.intercept + row.reduce((s, v, f) => s + truth.coef[f] * v, 0)
      y[i] = rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0
    }
    const model = trainLogistic(x, y, { l2: 1e-6 })
    const got = originalScaleCoefficients(model)
    expect(got.intercept).toBeCloseTo(truth.intercept, 1)
    expect(got.coef[0]).toBeCloseTo(1.5, 1)
    expect(got.coef[1]).toBeCloseTo(-0.02, 2)
    expect(Math.abs(got.coef[2])).toBeLessThan(0.05)
    const p = predictLogistic(model, x)
    expect(p.every((v) => v > 0 && v < 1)).toBe(true)
  })

  it("a strong L2 penalty shrinks coefficients toward zero", () => {
    const x = makeMatrix(4, ["a"])
    x.data.set([0, 1, 2, 3])
    const y = [0, 0, 1, 1]
    const weak = trainLogistic(x, y, { l2: 0.01 })
    const strong = trainLogistic(x, y, { l2: 100 })
    expect(Math.abs(strong.coef[0])).toBeLessThan(Math.abs(weak.coef[0]) / 5)
  })
})
