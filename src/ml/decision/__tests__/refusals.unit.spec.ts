import { decideOffer, OfferPolicy, propensityOfNoOffer, refuseOffer, ResponseModel } from "../offer-decision"

const policy: OfferPolicy = {
  id: "pol_1",
  strategy: "model",
  ladder: [5, 10, 15],
  max_discount_percent: 15,
  min_margin_percent: 10,
  holdout_percent: 0,
  exploration_percent: 20,
  objective: "profit",
}
const context = { customerId: "cus_1", basketValue: 100, marginPercent: 40, features: { orders: 0 } }
/** 10% off pays best: greedy level 10, each of the 4 levels explored with 0.05. */
const sensitive: ResponseModel = { version: "test-1", predict: (_f, levels) => levels.map((level) => (level >= 10 ? 0.3 : 0.1)) }
const greedyTen = () => decideOffer(policy, context, sensitive, 0.9, 0)

describe("refused offers are logged as what the shopper got", () => {
  it("draws from a distribution that sums to 1 and holds the logged propensity", () => {
    const decision = greedyTen()
    expect(decision.chosen_percent).toBe(10)
    expect(decision.distribution.reduce((sum, level) => sum + level.probability, 0)).toBeCloseTo(1, 10)
    expect(decision.distribution.find((level) => level.percent === 10)!.probability).toBeCloseTo(decision.propensity, 10)
  })

  it("fairness cap (refuses every level): level 0 with propensity 1", () => {
    const refused = refuseOffer(greedyTen(), (percent) => percent > 0, "Fairness cap")
    expect(refused).toMatchObject({ chosen_percent: 0, propensity: 1 })
    expect(refused.reasons.at(-1)).toBe("Fairness cap")
  })

  it("item plan refusing only the drawn level: 0 with P(draw 0) + P(draw 10)", () => {
    const refused = refuseOffer(greedyTen(), () => false, "Item offer: no item pays")
    // P(0) = 0.05 (explored), P(10) = 0.8 + 0.05
    expect(refused.chosen_percent).toBe(0)
    expect(refused.propensity).toBeCloseTo(0.9, 10)
  })

  it("budget refusing the levels whose reservation does not fit: 0 with the mass of 0 and the refused levels", () => {
    const decision = greedyTen()
    // 7 left: 5% (5.00) fits, 10% and 15% do not
    const levels = decision.distribution.map((level) => ({ ...level, reserved_amount: level.percent }))
    const propensity = propensityOfNoOffer(levels, (percent) => percent === 10 || levels.find((l) => l.percent === percent)!.reserved_amount > 7)
    expect(propensity).toBeCloseTo(0.05 + 0.85 + 0.05, 10)
  })

  it("offer limit (refuses every level) after an explored level: 0 with propensity 1", () => {
    const explored = decideOffer(policy, context, sensitive, 0.1, 0.99)
    expect(explored).toMatchObject({ group: "explore", chosen_percent: 15 })
    expect(propensityOfNoOffer(explored.distribution, () => true)).toBe(1)
  })

  it("margin floor (no level fits before the draw): 0 with propensity 1", () => {
    const decision = decideOffer(policy, { ...context, marginPercent: 12 }, sensitive, 0.1, 0.99)
    expect(decision).toMatchObject({ chosen_percent: 0, propensity: 1 })
  })

  it("holdout: 0 with propensity 1, and a decision already at 0 is left as it is", () => {
    const held = decideOffer({ ...policy, holdout_percent: 100 }, context, sensitive, 0.9, 0)
    expect(held).toMatchObject({ group: "holdout", chosen_percent: 0, propensity: 1 })
    expect(refuseOffer(held, () => true, "budget")).toBe(held)
  })
})
