/** Budgets reset at the start of the UTC day, ISO week (Monday) or calendar month. */
export function budgetPeriodStart(period: "day" | "week" | "month", now: Date): Date {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
  if (period === "week") {
    start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7))
  } else if (period === "month") {
    start.setUTCDate(1)
  }
  return start
}
