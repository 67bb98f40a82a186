import { chartPeriods, incrementalProfitPerCustomerSeries, WEEKLY_AFTER_DAYS } from "../../../admin/lib/report-series"
import { DecisionOutcome, incrementalityReport } from "../../../ml/decision/incrementality"
import { dailySeries, offerFunnel, policyOutcomes, weekOf, weeklySeries } from "../policy-report"

const outcome = (day: string, overrides: Partial<DecisionOutcome>): DecisionOutcome & { decided_at: Date } => ({
  decided_at: new Date(`${day}T12:00:00Z`),
  group: "model",
  chosen_percent: 10,
  propensity: 1,
  candidates: [],
  orders: 0,
  value: 0,
  discount: 0,
  margin_percent: 40,
  ...overrides,
})

// 2026-11-02: treated profits 30, 0, 60 (mean 30), holdout 20, 0 (mean 10): +20 per customer, +60 in all.
// 2026-11-03: treated profits 0, 0 (mean 0), holdout 40 (mean 40): -40 per customer, -80 in all.
const outcomes = [
  outcome("2026-11-02", { orders: 1, value: 100, discount: 10 }),
  outcome("2026-11-02", {}),
  outcome("2026-11-02", { orders: 1, value: 200, discount: 20 }),
  outcome("2026-11-02", { group: "holdout", chosen_percent: 0, orders: 1, value: 50 }),
  outcome("2026-11-02", { group: "holdout", chosen_percent: 0 }),
  outcome("2026-11-03", {}),
  outcome("2026-11-03", {}),
  outcome("2026-11-03", { group: "holdout", chosen_percent: 0, orders: 1, value: 100 }),
]

describe("policy report series", () => {
  it("plots incremental profit per customer on the chart of that name, not the total", () => {
    const daily = dailySeries(outcomes)
    const series = incrementalProfitPerCustomerSeries({ daily })
    expect(series.map((point) => point.date)).toEqual(["11-02", "11-03"])
    expect(series[0].value).toBeCloseTo(20, 10)
    expect(series[1].value).toBeCloseTo(-40, 10)
    expect(daily[0].incremental_profit).toBeCloseTo(60, 10)
    expect(daily[1].incremental_profit).toBeCloseTo(-80, 10)
  })

  it("gives each day the same per-customer value and interval as the report over that day alone", () => {
    const oneDay = outcomes.filter((row) => row.decided_at.toISOString().startsWith("2026-11-02"))
    const report = incrementalityReport(oneDay)
    const [point] = incrementalProfitPerCustomerSeries({ daily: dailySeries(oneDay) })
    expect(point.value).toBe(report.incremental_profit_per_customer.value)
    expect(point.band).toEqual(report.incremental_profit_per_customer.ci95)
    expect(point.error[0] + point.error[1]).toBeCloseTo(report.incremental_profit_per_customer.ci95[1] - report.incremental_profit_per_customer.ci95[0], 10)
    expect(point.value).not.toBe(report.incremental_profit.value)
  })
})

describe("policy report weekly series", () => {
  it("groups decisions by their Monday (UTC) and pools each week's customers", () => {
    expect(weekOf(new Date("2026-11-02T00:00:00Z"))).toBe("2026-11-02") // a Monday
    expect(weekOf(new Date("2026-11-08T23:59:59Z"))).toBe("2026-11-02") // its Sunday
    expect(weekOf(new Date("2026-11-09T00:00:00Z"))).toBe("2026-11-09")
    const weekly = dailySeries(outcomes, weekOf)
    expect(weekly.map((point) => point.date)).toEqual(["2026-11-02"])
    expect(weekly[0]).toEqual(dailySeries(outcomes, () => "2026-11-02")[0])
    // Both days pooled: treated profits 30, 0, 60, 0, 0 (mean 18), holdout 20, 0, 40 (mean 20).
    expect(weekly[0].incremental_profit_per_customer).toBeCloseTo(-2, 10)
  })

  it("leaves out a week until every decision in it has its attribution window closed", () => {
    // Week of 2026-11-02 (Monday) and a decision on Monday 2026-11-09, 14-day windows.
    const twoWeeks = [...outcomes, outcome("2026-11-09", { orders: 1, value: 100, discount: 10 })]
    const at = (iso: string) => new Date(iso).getTime()
    // 2026-11-23: the 2026-11-09 decision's window has closed, but one made on its Sunday would still be open.
    expect(weeklySeries(twoWeeks, 14, at("2026-11-23T13:00:00Z")).map((point) => point.date)).toEqual(["2026-11-02"])
    expect(weeklySeries(twoWeeks, 14, at("2026-11-30T00:00:00Z")).map((point) => point.date)).toEqual(["2026-11-02", "2026-11-09"])
    expect(weeklySeries(twoWeeks, 14, at("2026-11-22T23:59:59Z"))).toEqual([])
    expect(weeklySeries(twoWeeks, 14, at("2026-11-30T00:00:00Z"))[0]).toEqual(dailySeries(outcomes, weekOf)[0])
  })

  it("charts weeks once the report spans more than WEEKLY_AFTER_DAYS decision days", () => {
    const days = Array.from({ length: WEEKLY_AFTER_DAYS + 1 }, (_, i) => outcome(new Date(Date.UTC(2026, 9, 1 + i)).toISOString().slice(0, 10), {}))
    expect(chartPeriods({ daily: dailySeries(outcomes), weekly: dailySeries(outcomes, weekOf) }).unit).toBe("day")
    const long = chartPeriods({ daily: dailySeries(days), weekly: dailySeries(days, weekOf) })
    expect(long.unit).toBe("week")
    expect(long.points.length).toBe(4)
  })
})

describe("policy report censoring of open attribution windows", () => {
  const DAY = 86_400_000
  const now = Date.UTC(2026, 10, 20)
  const decided = (customer_id: string, daysAgo: number, group: DecisionOutcome["group"] = "model") => ({
    customer_id,
    created_at: new Date(now - daysAgo * DAY),
    group,
    chosen_percent: group === "holdout" ? 0 : 10,
    propensity: 1,
    candidates: [],
    margin_percent: 40,
  })
  const purchase = (customer_id: string, daysAgo: number, value: number) => ({ customer_id, kind: "purchase", order_id: `o-${customer_id}`, value, occurred_at: new Date(now - daysAgo * DAY) })
  const options = { now, windowDays: 14, defaultMarginPercent: 40 }

  it("leaves out a decision whose window is still open, bought or not, and counts it as open", () => {
    const decisions = [decided("closed-buyer", 20), decided("closed-none", 20), decided("open-none", 3), decided("open-buyer", 3), decided("holdout", 20, "holdout")]
    const { outcomes, open } = policyOutcomes(decisions, [purchase("closed-buyer", 18, 100), purchase("open-buyer", 2, 100)], [], options)
    expect(outcomes.map((outcome) => outcome.customer_id).sort()).toEqual(["closed-buyer", "closed-none", "holdout"])
    expect(open).toEqual([now - 3 * DAY, now - 3 * DAY])
    const report = incrementalityReport(outcomes)
    // Treated: 1 of the 2 closed decisions bought (not 2 of 4, nor 1 of 3 with the open non-buyer as a non-purchase).
    expect(report.treated).toMatchObject({ customers: 2, conversions: 1, conversion_rate: 0.5 })
  })

  it("counts a decision once its window has closed, with the purchases inside it only", () => {
    const decisions = [decided("a", 15)]
    const interactions = [purchase("a", 14, 100), { ...purchase("a", 0.5, 70), order_id: "late" }]
    const { outcomes, open } = policyOutcomes(decisions, interactions, [], options)
    expect(open).toEqual([])
    expect(outcomes[0]).toMatchObject({ orders: 1, value: 100 })
    expect(policyOutcomes(decisions, interactions, [], { ...options, now: now - 2 * DAY }).outcomes).toEqual([])
  })
})

describe("policy report funnel", () => {
  it("counts a redeemed offer as on a cart even where no cart is recorded, so no stage exceeds the one before", () => {
    const offers = [
      { cart_id: "cart_1", status: "active" },
      { cart_id: null, status: "expired" },
      { cart_id: null, status: "redeemed" },
      { cart_id: "cart_2", status: "redeemed" },
    ]
    expect(offerFunnel([1, 2, 3, 4, 5], offers)).toEqual({ decisions: 5, offers_issued: 4, offers_on_carts: 3, offers_redeemed: 2 })
  })
})
