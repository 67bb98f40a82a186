/** Maps between the API's policy shape (budget as one object) and the stored columns. */
export function policyToColumns(body: Record<string, any>): Record<string, unknown> {
  const { budget, ...rest } = body
  if (budget === undefined) {
    return rest
  }
  return {
    ...rest,
    budget_amount: budget?.amount ?? null,
    budget_currency_code: budget?.currency_code?.toLowerCase() ?? null,
    budget_period: budget?.period ?? null,
  }
}

/** `usage` is the current budget period's redeemed discount (`spent`) and open offers' reservations (`reserved`). */
export function policyToApi(row: Record<string, any>, usage?: { spent: number; reserved: number }): Record<string, unknown> {
  const { budget_amount, budget_currency_code, budget_period, deleted_at, ...rest } = row
  return {
    ...rest,
    budget: budget_amount === null || budget_amount === undefined ? null : { amount: budget_amount, currency_code: budget_currency_code, period: budget_period },
    ...usage,
  }
}
