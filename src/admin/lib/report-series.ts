import type { PolicyReport } from "./types"

export interface PerCustomerPoint {
  date: string
  value: number
  band: [number, number]
  /** Distances from the value to the interval's ends, as recharts' ErrorBar reads them. */
  error: [number, number]
}

/** The "Incremental profit per customer" chart: one point per decision day, the per-customer difference. */
export function incrementalProfitPerCustomerSeries(report: Pick<PolicyReport, "daily">): PerCustomerPoint[] {
  return report.daily.map((day) => {
    const value = day.incremental_profit_per_customer
    const [low, high] = day.incremental_profit_per_customer_ci95
    return { date: day.date.slice(5), value, band: [low, high], error: [value - low, high - value] }
  })
}
