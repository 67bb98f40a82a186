import { scoreCandidates } from "../../../ml/decision/offer-decision"
import type { Objective } from "../../../ml/decision/offer-decision"

/** A product the offer could discount, with its price and margin. */
export interface ItemCandidate {
  product_id: string
  /** Value of the line (unit price x quantity; one unit for a recommended product not yet in the cart). */
  value: number
  margin_percent: number
}

export interface ItemTargetPolicy {
  objective: Objective
  min_margin_percent: number
}

/**
 * The items worth discounting at `percent`: those whose expected incremental value is positive,
 * P(buy | percent) x value after discount - P(buy | none) x value, with the same response curve as the
 * order decision, and whose margin after the discount stays above the policy's floor.
 */
export function chooseItemTargets(
  policy: ItemTargetPolicy,
  percent: number,
  pBuy: [number, number],
  candidates: ItemCandidate[]
): { product_ids: string[]; expected: Record<string, number> } {
  const expected: Record<string, number> = {}
  for (const c of candidates) {
    if (percent <= 0 || c.value <= 0 || c.margin_percent - percent < policy.min_margin_percent) continue
    const [, gain] = scoreCandidates(policy.objective, [0, percent], pBuy, c.value, c.margin_percent)
    if (gain.expected_value > 0) expected[c.product_id] = Math.max(expected[c.product_id] ?? -Infinity, gain.expected_value)
  }
  return { product_ids: Object.keys(expected), expected }
}
