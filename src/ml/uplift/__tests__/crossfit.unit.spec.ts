import { makeMatrix } from "../../data/matrix"
import { mulberry32 } from "../../data/split"
import { trainCrossFitGbdt } from "../crossfit"

/** Labels that no feature predicts: any out-of-fold gain over the base rate is the held-out labels leaking in. */
function noise(n: number, seed: number) {
  const rng = mulberry32(seed)
  const x = makeMatrix(n, ["a", "b", "c"])
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    x.data.set([rng(), rng(), Math.floor(rng() * 4)], i * 3)
    y[i] = rng() < 0.2 ? 1 : 0
  }
  return { x, y }
}

function meanLogloss(y: Float64Array, raw: Float64Array): number {
  let sum = 0
  raw.forEach((r, i) => {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, 1 / (1 + Math.exp(-r))))
    sum -= y[i] ? Math.log(p) : Math.log(1 - p)
  })
  return sum / y.length
}

describe("cross-fitted GBDT out-of-fold scores", () => {
  it("with inner early stopping, the held-out rows' own labels do not flatter their scores", () => {
    const { x, y } = noise(4000, 5)
    const params = { maxDepth: 3, learningRate: 0.1, nRounds: 200, earlyStoppingRounds: 20, minChildWeight: 5 }
    const options = { folds: 4, repeats: 1, seed: 9, params }
    const onHeldOut = meanLogloss(y, trainCrossFitGbdt(x, y, options).oofRaw)
    const inner = meanLogloss(y, trainCrossFitGbdt(x, y, { ...options, innerEarlyStopping: true }).oofRaw)
    const rate = y.reduce((sum, v) => sum + v, 0) / y.length
    const baseRate = -(rate * Math.log(rate) + (1 - rate) * Math.log(1 - rate))
    // Stopping on the held-out fold picks the rounds that fit those very labels best: no worse than the base rate.
    expect(onHeldOut).toBeLessThan(baseRate + 0.002)
    // Honest scores of trees fitted to noise are worse than the base rate, and worse than the flattered ones.
    expect(inner).toBeGreaterThan(baseRate)
    expect(inner).toBeGreaterThan(onHeldOut)
  })
})
