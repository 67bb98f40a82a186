import type { OfferDecision } from "../../../ml/decision/offer-decision"
import type { Round } from "../../../modules/discounts/eligibility"
import type { DecideOnceResult, DecisionInput, IssueOfferInput, LivePolicy } from "../../../modules/discounts/service"
import { digest } from "../../../lib/hashing"
import type { Basket } from "../basket"
import type { ItemOfferPlan } from "../item-offers/plan-item-offer"
import { saveItemOffer } from "../item-offers/save-item-offer"
import type { DecisionContext } from "./decision-context"

export interface DrawnOffer {
  decision: OfferDecision
  features: Record<string, number>
  basket: Basket
  fairnessValue: string | null
  itemPlan: ItemOfferPlan | null
}

/**
 * Logs the decision and issues its offer (within budget and the per-customer limit) in one transaction,
 * once per customer and policy per TTL: a request that lost a race gets the standing decision and its
 * offer instead. An issued item offer stores its targets.
 */
export async function logAndIssue(context: DecisionContext, policy: LivePolicy, round: Round, drawn: DrawnOffer): Promise<DecideOnceResult> {
  const { decision, features, basket, itemPlan } = drawn
  const logged: DecisionInput = {
    ...decisionRow(context, policy, round),
    group: decision.group,
    chosen_percent: decision.chosen_percent,
    propensity: decision.propensity,
    model_version: decision.model_version,
    features_digest: digest(features),
    features,
    candidates: decision.candidates,
    reasons: decision.reasons,
    basket_value: basket.value,
    margin_percent: basket.marginPercent,
    fairness_value: drawn.fairnessValue,
  }
  const issue = offerToIssue(context, policy, drawn)
  const result = await context.discounts.decideOnce(logged, issue)
  if (result.recorded && result.offer && itemPlan) {
    await saveItemOffer(context.container, result.offer.id, context.customerId, decision.chosen_percent, itemPlan)
  }
  return result
}

/** The offer the drawn decision issues when its claim records it (none for holdout, level 0 or a shadow policy). */
export function offerToIssue(context: DecisionContext, policy: LivePolicy, drawn: DrawnOffer): Omit<IssueOfferInput, "decision_id"> | undefined {
  const { decision, basket, itemPlan } = drawn
  if (!shouldIssue(policy, decision)) return undefined
  const reservedAt = (percent: number) => round2(((itemPlan ? itemPlan.targeted_cart_value : basket.value) * percent) / 100)
  return {
    policy,
    customer_id: context.customerId,
    cart_id: context.cart.id,
    discount_percent: decision.chosen_percent,
    reserved_amount: reservedAt(decision.chosen_percent),
    currency_code: context.cart.currency_code ?? null,
    reason: decision.reasons[decision.reasons.length - 1],
    levels: decision.distribution.map((level) => ({ ...level, reserved_amount: reservedAt(level.percent) })),
  }
}

/** A shopper the risk rules exclude: logged as "ineligible" (no draw), so the decision stands for the TTL. */
export async function logIneligible(context: DecisionContext, policy: LivePolicy, round: Round, reason: string): Promise<DecideOnceResult> {
  return context.discounts.decideOnce({
    ...decisionRow(context, policy, round),
    group: "ineligible",
    chosen_percent: 0,
    propensity: 1,
    model_version: "rules",
    reasons: [reason],
  })
}

function decisionRow(context: DecisionContext, policy: LivePolicy, round: Round) {
  return { policy_id: policy.id, customer_id: context.customerId, cart_id: context.cart.id, round, shadow: policy.status === "shadow" }
}

function shouldIssue(policy: LivePolicy, decision: OfferDecision): boolean {
  return policy.status === "active" && decision.group !== "holdout" && decision.chosen_percent > 0
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
