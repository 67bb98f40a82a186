import { allowedLevels, decideOffer, hashUnit, OfferPolicy, ResponseModel, scoreCandidates } from "../offer-decision"

const policy: OfferPolicy = {
  id: "pol_1",
  strategy: "model",
  ladder: [5, 10, 15],
  max_discount_percent: 15,
  min_margin_percent: 10,
  holdout_percent: 0,
  exploration_percent: 0,
  objective: "profit",
}

const context = { customerId: "cus_1", basketValue: 100, marginPercent: 40, features: { orders: 0 } }

/** Discount-sensitive shopper: 10% off lifts P(buy) from 0.1 to 0.3. */
const sensitive: ResponseModel = { version: "test-1", predict: (_f, levels) => levels.map((level) => (level >= 10 ? 0.3 : 0.1)) }
/** Buys anyway: discounts change nothing. */
const sureThing: ResponseModel = { version: "test-1", predict: (_f, levels) => levels.map(() => 0.5) }

describe("offer decision", () => {
  it("keeps levels under the cap and above the margin floor", () => {
    expect(allowedLevels({ ...policy, max_discount_percent: 12 }, 40)).toEqual([5, 10])
    expect(allowedLevels(policy, 22)).toEqual([5, 10])
    expect(allowedLevels(policy, 12)).toEqual([])
  })

  it("computes incremental profit against no discount by hand", () => {
    // none: 0.1 * 100 * 0.40 = 4; 10%: 0.3 * 100 * 0.30 = 9 -> +5
    const [none, ten] = scoreCandidates("profit", [0, 10], [0.1, 0.3], 100, 40)
    expect(none.expected_value).toBe(0)
    expect(ten.expected_value).toBeCloseTo(5, 6)
  })

  it("gives the level that pays for itself, and none to a shopper who buys anyway", () => {
    expect(decideOffer(policy, context, sensitive, 0.5, 0.5)).toMatchObject({ group: "model", chosen_percent: 10, propensity: 1, model_version: "test-1" })
    const sure = decideOffer(policy, context, sureThing, 0.5, 0.5)
    expect(sure.chosen_percent).toBe(0)
    expect(sure.reasons.join(" ")).toMatch(/No discount/)
  })

  it("keeps a shopper in the holdout deterministically", () => {
    const half = { ...policy, holdout_percent: 50 }
    const customers = Array.from({ length: 400 }, (_, i) => `cus_${i}`)
    const held = customers.filter((customerId) => decideOffer(half, { ...context, customerId }, sensitive, 0.5, 0.5).group === "holdout")
    expect(held.length).toBeGreaterThan(160)
    expect(held.length).toBeLessThan(240)
    for (const customerId of held.slice(0, 20)) {
      const decision = decideOffer(half, { ...context, customerId }, sensitive, 0.9, 0.9)
      expect(decision).toMatchObject({ group: "holdout", chosen_percent: 0 })
    }
    expect(hashUnit("a")).toBe(hashUnit("a"))
  })

  it("logs the propensity of an explored level", () => {
    const exploring = { ...policy, exploration_percent: 20 }
    const explored = decideOffer(exploring, context, sensitive, 0.1, 0.99)
    // 4 levels (0, 5, 10, 15); 15 is not greedy: 0.2 / 4
    expect(explored).toMatchObject({ group: "explore", chosen_percent: 15 })
    expect(explored.propensity).toBeCloseTo(0.05, 10)
    const greedy = decideOffer(exploring, context, sensitive, 0.9, 0)
    expect(greedy.propensity).toBeCloseTo(0.8 + 0.05, 10)
  })

  it("without a model gives no discount beyond exploration by default, and the prior's choice when the policy asks", () => {
    const cold = decideOffer(policy, context, null, 0.5, 0.5)
    expect(cold).toMatchObject({ group: "model", chosen_percent: 0, propensity: 1 })
    expect(cold.reasons[0]).toMatch(/no discount beyond exploration/)
    const exploring = decideOffer({ ...policy, exploration_percent: 20 }, context, null, 0.1, 0.99)
    expect(exploring).toMatchObject({ group: "explore", chosen_percent: 15 })
    expect(exploring.propensity).toBeCloseTo(0.05, 10)
    const prior = decideOffer({ ...policy, cold_start: "prior" }, context, null, 0.5, 0.5)
    expect(prior.chosen_percent).toBeGreaterThan(0)
    expect(prior.reasons[0]).toMatch(/cold start from priors/)
  })

  it("with cold start \"explore\" draws every allowed level equally often until a model serves, and logs 1/levels", () => {
    const explore = { ...policy, cold_start: "explore" as const, exploration_percent: 10 }
    // levels 0, 5, 10, 15 (margin 40, floor 10, cap 15): the level draw picks one of four, whatever the exploration draw.
    const drawn = [0.1, 0.3, 0.6, 0.9].map((levelDraw) => decideOffer(explore, context, null, 0.99, levelDraw))
    expect(drawn.map((decision) => decision.chosen_percent)).toEqual([0, 5, 10, 15])
    for (const decision of drawn) {
      expect(decision.group).toBe("explore")
      expect(decision.propensity).toBeCloseTo(0.25, 10)
      expect(decision.distribution.map((level) => level.probability)).toEqual([0.25, 0.25, 0.25, 0.25])
    }
    expect(drawn[0].reasons[0]).toMatch(/every allowed level equally often/)
    // Once a model serves, the policy's own exploration applies again.
    const served = decideOffer(explore, context, sensitive, 0.99, 0.1)
    expect(served).toMatchObject({ group: "model", chosen_percent: 10 })
    expect(served.propensity).toBeCloseTo(0.9 + 0.1 / 4, 10)
  })

  it("says it is a cold start without a model and gives the top level under the fixed strategy", () => {
    const cold = decideOffer(policy, context, null, 0.5, 0.5)
    expect(cold.model_version).toBe("prior-v1")
    expect(cold.reasons[0]).toMatch(/cold start/)
    expect(decideOffer({ ...policy, strategy: "fixed" }, context, null, 0.5, 0.5)).toMatchObject({ group: "fixed", chosen_percent: 15 })
  })
})
