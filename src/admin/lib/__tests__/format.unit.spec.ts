import { incrementalityReport } from "../../../ml/decision/incrementality"
import { clearOfZero, interval, knownInterval } from "../format"

const customer = (group: "holdout" | "model", orders = 0) => ({
  group,
  chosen_percent: group === "holdout" ? 0 : 10,
  propensity: 1,
  candidates: [],
  orders,
  value: orders ? 100 : 0,
  discount: orders ? 10 : 0,
  margin_percent: 40,
})

describe("report intervals as the admin shows them", () => {
  it("says too few customers to tell, not an exact $0.00, for a day whose customers all did the same", () => {
    const day = incrementalityReport([customer("model"), customer("model"), customer("model"), customer("holdout")])
    expect(day.incremental_profit_per_customer.ci95).toEqual([0, 0])
    expect(knownInterval(day.incremental_profit_per_customer.ci95)).toBe(false)
    expect(interval(day.incremental_profit_per_customer.ci95, (v) => `$${v.toFixed(2)}`)).toBe("too few customers to tell")
  })

  it("does not call one buyer against one non-buyer clear of zero", () => {
    const day = incrementalityReport([customer("model", 1), customer("holdout")])
    const [low] = day.incremental_profit_per_customer.ci95
    expect(low).toBeGreaterThan(0)
    expect(knownInterval(day.incremental_profit_per_customer.ci95)).toBe(false)
    expect(clearOfZero(day.incremental_profit_per_customer.ci95)).toBe(false)
    expect(clearOfZero([low, low + 1])).toBe(true)
  })

  it("shows a spread sample's interval", () => {
    const day = incrementalityReport([customer("model", 1), customer("model"), customer("holdout", 1), customer("holdout")])
    expect(interval(day.incremental_profit_per_customer.ci95, (v) => v.toFixed(1))).toBe("[-41.6, 41.6]")
  })
})
