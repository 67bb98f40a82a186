import { compareLearnedPolicy, LearnedPolicyRow } from "../learned-policy"
import type { ResponseModel } from "../offer-decision"
import { mulberry32 } from "../../data/split"

/**
 * A randomized log (each of 0, 10, 15% with probability 1/3) where a 10% offer makes "loyal" shoppers
 * (spend > 100) buy far more often and changes nothing for the others; margin 30%, basket 100.
 */
function randomizedLog(n: number, seed = 3): LearnedPolicyRow[] {
  const random = mulberry32(seed)
  return Array.from({ length: n }, () => {
    const spend = random() < 0.5 ? 50 : 150
    const level = [0, 10, 15][Math.floor(random() * 3)]
    const pBuy = spend > 100 && level > 0 ? 0.6 : 0.2
    const bought = random() < pBuy
    return { features: { spend }, chosen_percent: level, propensity: 1 / 3, profit: bought ? 100 * 0.3 - level : 0, basket_value: 100, margin_percent: 30 }
  })
}

const plantedModel: ResponseModel = {
  version: "planted",
  predict: (features, levels) => levels.map((level) => (features.spend > 100 && level > 0 ? 0.6 : 0.2)),
}

describe("learned policy against fixed levels", () => {
  it("values the planted targeting above every fixed level, with the paired difference clear of zero", () => {
    const comparison = compareLearnedPolicy(randomizedLog(6_000), plantedModel, [10, 15], "profit")
    // True values per customer: no discount 6.0, everyone 10% 0.5*0.6*20 + 0.5*0.2*20 = 8.0, everyone 15%
    // 0.5*0.6*15 + 0.5*0.2*15 = 6.0; learned (10% to loyal shoppers only) 0.5*0.6*20 + 0.5*0.2*30 = 9.0.
    expect(comparison.decisions).toBe(6_000)
    expect(comparison.learned.per_customer!.value).toBeCloseTo(9, 0)
    expect(comparison.fixed.map((entry) => entry.percent)).toEqual([0, 10, 15])
    expect(comparison.fixed[0].per_customer!.value).toBeCloseTo(6, 0)
    expect(comparison.fixed[1].per_customer!.value).toBeCloseTo(8, 0)
    expect(comparison.best_fixed_percent).toBe(10)
    expect(comparison.learned_minus_best_fixed!.ci95[0]).toBeGreaterThan(0)
    expect(comparison.learned.chosen.find((entry) => entry.percent === 10)!.customers).toBeGreaterThan(2_500)
    expect(comparison.learned.chosen.find((entry) => entry.percent === 15)!.customers).toBe(0)
  })

  it("reports no number for a strategy too few logged decisions support", () => {
    const comparison = compareLearnedPolicy(randomizedLog(12), plantedModel, [10, 15], "profit")
    expect(comparison.learned.per_customer).toBeNull()
    expect(comparison.fixed.every((entry) => entry.per_customer === null)).toBe(true)
    expect(comparison.learned_minus_best_fixed).toBeNull()
  })
})
