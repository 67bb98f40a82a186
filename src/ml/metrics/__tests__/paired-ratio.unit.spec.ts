import { pairedRatio, studentT975 } from "../paired-ratio"

describe("paired ratio", () => {
  it("is the geometric mean of the pairs' ratios with a t interval on their logs", () => {
    const r = pairedRatio([1.1, 1.0, 1.2])
    expect(r.ratio).toBeCloseTo(Math.cbrt(1.1 * 1.0 * 1.2), 6)
    expect(r.low).toBeLessThan(r.ratio)
    expect(r.high).toBeGreaterThan(r.ratio)
    // sd of logs of (1.1, 1, 1.2) is about 0.0912; t(2) = 4.303: margin 0.2266 in log units.
    expect(Math.log(r.high / r.ratio)).toBeCloseTo(4.303 * 0.0912 / Math.sqrt(3), 3)
    expect(r.pairs).toBe(3)
  })

  it("narrows as agreeing pairs accumulate, and is unbounded with one pair", () => {
    expect(pairedRatio([1.05]).halfWidth).toBe(Infinity)
    const few = pairedRatio([1.0, 1.1, 1.0, 1.1])
    const many = pairedRatio(Array.from({ length: 20 }, (_, i) => (i % 2 ? 1.1 : 1.0)))
    expect(many.halfWidth).toBeLessThan(few.halfWidth)
    expect(many.halfWidth).toBeLessThan(0.05)
    expect(pairedRatio([1.02, 1.02, 1.02]).halfWidth).toBeCloseTo(0, 10)
  })

  it("ignores ratios that cannot be logged and uses the normal quantile for many pairs", () => {
    expect(pairedRatio([NaN, 0, 1.5, 1.5]).pairs).toBe(2)
    expect(studentT975(1)).toBeCloseTo(12.706)
    expect(studentT975(100)).toBeCloseTo(1.96)
  })
})
