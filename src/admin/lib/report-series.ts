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

/** Beyond this many decision days the charts draw one point per week: a day's few decisions are mostly noise. */
export const WEEKLY_AFTER_DAYS = 21

/** The points the charts draw: per decision day, or per decision week once the report spans weeks. */
export function chartPeriods(report: Pick<PolicyReport, "daily" | "weekly">): { points: PolicyReport["daily"]; unit: "day" | "week" } {
  return report.daily.length > WEEKLY_AFTER_DAYS && report.weekly?.length ? { points: report.weekly, unit: "week" } : { points: report.daily, unit: "day" }
}
