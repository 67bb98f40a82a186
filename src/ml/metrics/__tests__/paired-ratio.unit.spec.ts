import { mulberry32 } from "../../data/split"
import { median } from "../median"
import { blockMedianRatio, pairedRatio, studentT975 } from "../paired-ratio"

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

describe("block median ratio", () => {
  /** Blocks of alternating rounds: side a takes `factor` times side b's time, both drifting block by block. */
  function blocks(count: number, factor: number, seed: number) {
    const rng = mulberry32(seed)
    const a: number[][] = []
    const b: number[][] = []
    for (let j = 0; j < count; j++) {
      const drift = 100 * (1 + 0.3 * rng())
      a.push(Array.from({ length: 15 }, () => drift * factor * (0.95 + 0.1 * rng())))
      b.push(Array.from({ length: 15 }, () => drift * (0.95 + 0.1 * rng())))
    }
    return { a, b }
  }

  it("is the ratio of all rounds' medians, inside its own interval", () => {
    const { a, b } = blocks(10, 1.04, 3)
    const r = blockMedianRatio(a, b)
    expect(r.ratio).toBeCloseTo(median(a.flat()) / median(b.flat()), 10)
    expect(r.low).toBeLessThanOrEqual(r.ratio)
    expect(r.high).toBeGreaterThanOrEqual(r.ratio)
    expect(r.low).toBeGreaterThan(0.95)
    expect(r.high).toBeLessThan(1.15)
  })

  it("keeps the ratio of medians inside its interval where the blocks' geometric mean leaves it out", () => {
    // Five fast minutes (100 ms) in which a costs 10% more, six slow ones (200 ms) in which it costs nothing:
    // the medians over all rounds are both 200 ms, while the blocks' ratios average about 1.044.
    const block = (ms: number) => Array.from({ length: 15 }, () => ms)
    const a = [...Array.from({ length: 5 }, () => block(110)), ...Array.from({ length: 6 }, () => block(200))]
    const b = [...Array.from({ length: 5 }, () => block(100)), ...Array.from({ length: 6 }, () => block(200))]
    const r = blockMedianRatio(a, b)
    const byBlocks = pairedRatio(a.map((rounds, j) => median(rounds) / median(b[j])))
    expect(r.ratio).toBe(1)
    expect(byBlocks.low).toBeGreaterThan(1)
    expect(r.low).toBeLessThanOrEqual(1)
    expect(r.high).toBeGreaterThan(1)
  })

  it("narrows with more blocks, repeats with its seed and has no interval from one block", () => {
    const few = blocks(4, 1.02, 5)
    const many = blocks(40, 1.02, 5)
    const width = (r: { low: number; high: number }) => r.high - r.low
    expect(width(blockMedianRatio(many.a, many.b))).toBeLessThan(width(blockMedianRatio(few.a, few.b)))
    expect(blockMedianRatio(few.a, few.b, 500, 9)).toEqual(blockMedianRatio(few.a, few.b, 500, 9))
    expect(blockMedianRatio([[1, 2]], [[1, 2]]).low).toBeNaN()
  })
})
