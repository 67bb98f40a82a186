import { fairnessAllows } from "../../../modules/discounts/eligibility"
import type DiscountsModuleService from "../../../modules/discounts/service"
import type { LivePolicy } from "../../../modules/discounts/service"
import { OfferDecision, refuseOffer } from "../../../ml/decision/offer-decision"
import type { DecisionCart } from "./decision-context"

const FAIRNESS_WINDOW_DAYS = 30

/**
 * The cart's group under the policy's fairness attribute (null without one); an offer to a group already
 * ahead by more than the policy's gap becomes "no offer" (the cap refuses every level, so that is certain
 * for this shopper now: propensity 1), with the reason.
 */
export async function applyFairnessLimit(
  discounts: DiscountsModuleService,
  policy: LivePolicy,
  cart: DecisionCart,
  decision: OfferDecision
): Promise<{ decision: OfferDecision; fairnessValue: string | null }> {
  const group = fairnessGroup(policy, cart)
  if (decision.chosen_percent > 0 && group && !(await fairnessOk(discounts, policy, group))) {
    const reason = `Fairness cap: offers to ${policy.fairness.attribute} ${group} are already ahead by more than ${policy.fairness.max_gap * 100}%.`
    return { decision: refuseOffer(decision, (percent) => percent > 0, reason), fairnessValue: group }
  }
  return { decision, fairnessValue: group }
}

function fairnessGroup(policy: LivePolicy, cart: DecisionCart): string | null {
  const attribute = policy.fairness?.attribute
  if (!attribute) return null
  if (attribute === "country") return cart.shipping_address?.country_code ?? "unknown"
  if (attribute === "region") return cart.region_id ?? "unknown"
  return "unknown"
}

async function fairnessOk(discounts: DiscountsModuleService, policy: LivePolicy, group: string): Promise<boolean> {
  const since = new Date(Date.now() - FAIRNESS_WINDOW_DAYS * 86_400_000)
  const rates = await discounts.offerRatesByFairnessGroup(policy.id, since)
  return fairnessAllows(rates, group, Number(policy.fairness.max_gap))
}
