import { matchRound, Round, ShopperHistory } from "../../../modules/discounts/eligibility"
import type { LivePolicy } from "../../../modules/discounts/service"
import type { DecisionContext } from "./decision-context"

/** The first undecided policy whose round the shopper is in (first order, repeat, win-back, abandoned cart), or null. */
export function eligiblePolicy<H extends ShopperHistory>(context: DecisionContext, history: H, now: Date): { policy: LivePolicy; round: Round; history: H } | null {
  for (const policy of context.undecided) {
    const round = matchRound(policy as any, history, now, context.trigger)
    if (round) return { policy, round, history }
  }
  return null
}
