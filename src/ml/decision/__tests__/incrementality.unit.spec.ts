import { DecisionOutcome, incrementalityReport, meanDifference, MIN_MATCHED_DECISIONS } from "../incrementality"

const row = (overrides: Partial<DecisionOutcome>): DecisionOutcome => ({
  group: "model",
  chosen_percent: 10,
  propensity: 1,
  candidates: [
    { percent: 0, expected_value: 0 },
    { percent: 10, expected_value: 1 },
  ],
  orders: 0,
  value: 0,
  discount: 0,
  margin_percent: 40,
  ...overrides,
})

describe("incrementality report", () => {
  it("matches a hand-computed fixture", () => {
    const report = incrementalityReport([
      // treated: profits 100*0.4-10 = 30, 0, 200*0.4-20 = 60 -> mean 30
      row({ orders: 1, value: 100, discount: 10 }),
      row({}),
      row({ orders: 1, value: 200, discount: 20 }),
      // holdout: profits 50*0.4 = 20, 0 -> mean 10
      row({ group: "holdout", chosen_percent: 0, orders: 1, value: 50 }),
      row({ group: "holdout", chosen_percent: 0 }),
    ])
    expect(report.treated).toMatchObject({ customers: 3, conversions: 2, discount_cost: 30 })
    expect(report.treated.profit_per_customer).toBeCloseTo(30, 10)
    expect(report.treated.revenue_per_customer).toBeCloseTo(90, 10)
    expect(report.holdout.profit_per_customer).toBeCloseTo(10, 10)
    expect(report.incremental_profit_per_customer.value).toBeCloseTo(20, 10)
    expect(report.incremental_profit.value).toBeCloseTo(60, 10)
    // Welch: var(30,0,60)=900, var(20,0)=200 -> se = sqrt(900/3 + 200/2) = 20
    expect(report.incremental_profit_per_customer.ci95[0]).toBeCloseTo(20 - 1.96 * 20, 10)
    expect(report.incremental_conversion_rate.value).toBeCloseTo(2 / 3 - 1 / 2, 10)
  })

  it("estimates the model and fixed strategies by inverse propensity", () => {
    const pair = [
      row({ group: "explore", chosen_percent: 0, propensity: 0.5, orders: 1, value: 100 }),
      row({ group: "explore", chosen_percent: 10, propensity: 0.5, orders: 1, value: 100, discount: 10 }),
    ]
    const report = incrementalityReport(Array.from({ length: MIN_MATCHED_DECISIONS }, () => pair).flat())
    // model and fixed both pick 10: terms [0, 30/0.5=60] -> mean 30
    expect(report.off_policy.model?.value).toBeCloseTo(30, 10)
    expect(report.off_policy.model_minus_fixed?.value).toBeCloseTo(0, 10)
    expect(report.off_policy.model_matched).toBe(MIN_MATCHED_DECISIONS)
  })

  it("gives no value for a strategy whose level no logged decision took, rather than a zero", () => {
    // Every decision took 5%; the top level (10%) was never tried, the model's pick (5%) always was.
    const candidates = [
      { percent: 5, expected_value: 2 },
      { percent: 10, expected_value: 1 },
    ]
    const report = incrementalityReport(Array.from({ length: 30 }, (_, i) => row({ chosen_percent: 5, propensity: 0.5, candidates, orders: i % 2, value: 50 * (i % 2) })))
    expect(report.off_policy).toMatchObject({ decisions: 30, model_matched: 30, fixed_matched: 0, fixed: null, model_minus_fixed: null })
    expect(report.off_policy.model).not.toBeNull()
  })

  it("gives a zero-width interval for identical groups", () => {
    expect(meanDifference([1, 1], [1, 1])).toEqual({ value: 0, ci95: [0, 0] })
  })
})
