import { mulberry32 } from "../../data/split"
import { logloss } from "../../metrics/classification"
import { calibrateAll, fitIsotonic, fitPlatt } from "../calibration"

/** True probability sigmoid(z), but the model reports an overconfident logit 3 z + 1. */
function miscalibrated(n: number, seed: number) {
  const rng = mulberry32(seed)
  const score = new Float64Array(n)
  const y = new Float64Array(n)
  const naive = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const z = 4 * rng() - 2
    y[i] = rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0
    score[i] = 3 * z + 1
    naive[i] = 1 / (1 + Math.exp(-score[i]))
  }
  return { score, y, naive }
}

describe("calibration", () => {
  const fit = miscalibrated(5000, 1)
  const test = miscalibrated(5000, 2)

  it("Platt recovers the inverse distortion and improves logloss", () => {
    const c = fitPlatt(fit.score, fit.y)
    expect(c.a).toBeCloseTo(1 / 3, 1)
    expect(c.b).toBeCloseTo(-1 / 3, 0)
    expect(logloss(test.y, calibrateAll(c, test.score))).toBeLessThan(logloss(test.y, test.naive) - 0.05)
  })

  it("isotonic is monotone, within [0,1], and improves logloss", () => {
    const c = fitIsotonic(fit.score, fit.y)
    for (let i = 1; i < c.y.length; i++) expect(c.y[i]).toBeGreaterThanOrEqual(c.y[i - 1])
    for (let i = 1; i < c.x.length; i++) expect(c.x[i]).toBeGreaterThanOrEqual(c.x[i - 1])
    const p = calibrateAll(c, test.score)
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true)
    expect(logloss(test.y, p)).toBeLessThan(logloss(test.y, test.naive) - 0.05)
    expect(JSON.parse(JSON.stringify(c))).toEqual(c)
  })
})
