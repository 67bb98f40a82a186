export type Round = "first_order" | "repeat" | "win_back" | "abandoned_cart"

export interface RoundPolicy {
  rounds: Round[]
  win_back_after_days?: number | null
}

export interface ShopperHistory {
  order_count: number
  last_order_at: Date | string | null
}

/**
 * The round a shopper qualifies for under a policy, most specific first, or null. The abandoned-cart
 * round only applies when the abandoned-cart schedule asks.
 */
export function matchRound(policy: RoundPolicy, history: ShopperHistory, now: Date, trigger: "cart" | "abandoned_cart" = "cart"): Round | null {
  const rounds = new Set(policy.rounds)
  if (trigger === "abandoned_cart") {
    return rounds.has("abandoned_cart") ? "abandoned_cart" : null
  }
  if (history.order_count === 0) {
    return rounds.has("first_order") ? "first_order" : null
  }
  const lastOrder = history.last_order_at ? new Date(history.last_order_at).getTime() : 0
  const daysSince = (now.getTime() - lastOrder) / 86_400_000
  if (rounds.has("win_back") && daysSince >= (policy.win_back_after_days ?? 90)) {
    return "win_back"
  }
  return rounds.has("repeat") ? "repeat" : null
}

export interface BasketLine {
  unit_price: number
  quantity: number
  /** Variant metadata `cost`, when the merchant set it. */
  cost?: number | null
}

/** Basket value and its gross margin in percent; lines without a cost use the default margin. */
export function basketEconomics(lines: BasketLine[], defaultMarginPercent: number): { value: number; marginPercent: number } {
  let value = 0
  let margin = 0
  for (const line of lines) {
    const lineValue = line.unit_price * line.quantity
    value += lineValue
    const cost = Number(line.cost)
    margin += Number.isFinite(cost) && line.cost !== null && line.cost !== undefined ? (line.unit_price - cost) * line.quantity : (lineValue * defaultMarginPercent) / 100
  }
  return { value, marginPercent: value > 0 ? (100 * margin) / value : defaultMarginPercent }
}

/** Offer rate per value of the fairness attribute; refuses when this group is ahead by more than the gap. */
export function fairnessAllows(ratesByGroup: Record<string, number>, group: string, maxGap: number): boolean {
  const rates = Object.values(ratesByGroup)
  if (rates.length < 2 || !(group in ratesByGroup)) {
    return true
  }
  return ratesByGroup[group] - Math.min(...rates) <= maxGap
}
