import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { decideOffer, OfferDecision } from "../../../ml/decision/offer-decision"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { basketEconomics, fairnessAllows, matchRound, Round } from "../../../modules/discounts/eligibility"
import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"
import { digest } from "../../../lib/hashing"
import { toNumber } from "../../../lib/numbers"
import { randomUnit } from "./random"
import { planItemOffer, saveItemOffer } from "../../../recommendations/item-offers"
import { FRAUD_MODULE } from "../../../modules/fraud"
import type FraudModuleService from "../../../modules/fraud/service"

const RISK_LOOKBACK_DAYS = 30

export const decidePersonalOfferStepId = "uplift-decide-personal-offer"

export interface DecidePersonalOfferInput {
  cart_id: string
  trigger?: "cart" | "abandoned_cart"
}

export interface DecidePersonalOfferOutput {
  decision_id?: string
  offer_id?: string
  chosen_percent?: number
}

const CART_FIELDS = [
  "id",
  "customer_id",
  "currency_code",
  "region_id",
  "sales_channel_id",
  "shipping_address.country_code",
  "items.quantity",
  "items.product_id",
  "items.unit_price",
  "items.variant.metadata",
]

/** Decides (and logs) whether this customer's cart gets a personal offer, and issues it within budget. */
export const decidePersonalOfferStep = createStep(
  decidePersonalOfferStepId,
  async (input: DecidePersonalOfferInput, { container }) => {
    const cart = await loadCart(container, input.cart_id)
    if (!cart?.customer_id || !cart.items?.length) {
      return new StepResponse<DecidePersonalOfferOutput, string>({}, "")
    }
    const result = await decideForCart(container, cart, input.trigger ?? "cart")
    return new StepResponse<DecidePersonalOfferOutput, string>(result, result.offer_id ?? "")
  },
  async (offerId, { container }) => {
    if (offerId) {
      const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
      await discounts.updatePersonalOffers({ id: offerId, status: "revoked", revoked_reason: "workflow rolled back" })
    }
  }
)

async function loadCart(container: MedusaContainer, cartId: string): Promise<any> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
  return data[0]
}

async function decideForCart(container: MedusaContainer, cart: any, trigger: "cart" | "abandoned_cart"): Promise<DecidePersonalOfferOutput> {
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const uplift = container.resolve<UpliftModuleService>(UPLIFT_MODULE)
  // A customer holding an open offer needs no new decision: the common case on every later cart update.
  const [open] = await discounts.listPersonalOffers({ customer_id: cart.customer_id, status: "active" }, { take: 1, select: ["id"] })
  if (open) {
    return {}
  }
  const policies = await discounts.listDiscountPolicies({ status: ["active", "shadow"] }, { order: { created_at: "ASC" } })
  const history = await uplift.purchaseHistory(cart.customer_id)
  const now = new Date()
  for (const policy of policies) {
    const round = matchRound(policy as any, history, now, trigger)
    // A decision stands for the policy's offer TTL: a new cart does not draw again.
    if (!round || (await discounts.standingDecision(policy.id, cart.customer_id))) {
      continue
    }
    const risk = await riskReason(container, cart.customer_id)
    if (risk) {
      const { decision } = await logIneligible(discounts, policy, cart, round, risk)
      return { decision_id: decision.id, chosen_percent: 0 }
    }
    return decideUnderPolicy(container, discounts, uplift, policy, cart, round, history.order_count)
  }
  return {}
}

/** Fraud and abuse signals that make a shopper ineligible: a recent held or blocked checkout, or a fraud label. */
async function riskReason(container: MedusaContainer, customerId: string): Promise<string | null> {
  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  const since = new Date(Date.now() - RISK_LOOKBACK_DAYS * 86_400_000)
  const [flagged] = await fraud.listFraudAssessments({ customer_id: customerId, decision: ["hold", "block"], created_at: { $gte: since } }, { take: 1 })
  if (flagged) {
    return `Not eligible: a checkout of this customer was ${flagged.decision === "block" ? "blocked" : "held"} by fraud screening in the last ${RISK_LOOKBACK_DAYS} days.`
  }
  const [label] = await fraud.listFraudLabels({ customer_id: customerId, label: "fraud" }, { take: 1 })
  return label ? "Not eligible: an order of this customer was labelled fraud." : null
}

async function logIneligible(discounts: DiscountsModuleService, policy: any, cart: any, round: Round, reason: string) {
  return discounts.recordDecision({
    policy_id: policy.id,
    customer_id: cart.customer_id,
    cart_id: cart.id,
    round,
    group: "ineligible",
    chosen_percent: 0,
    propensity: 1,
    model_version: "rules",
    reasons: [reason],
    shadow: policy.status === "shadow",
  })
}

async function decideUnderPolicy(
  container: MedusaContainer,
  discounts: DiscountsModuleService,
  uplift: UpliftModuleService,
  policy: any,
  cart: any,
  round: Round,
  orderCount: number
): Promise<DecidePersonalOfferOutput> {
  const lines = cart.items.map((item: any) => ({
    unit_price: toNumber(item.unit_price),
    quantity: toNumber(item.quantity),
    cost: item.variant?.metadata?.cost ?? null,
  }))
  const economics = basketEconomics(lines, uplift.options.defaultMarginPercent)
  const features = { orders: orderCount, basket_value: economics.value, items: lines.length }
  const decision = decideOffer(
    { ...policy, ladder: policy.ladder as number[] },
    { customerId: cart.customer_id, basketValue: economics.value, marginPercent: economics.marginPercent, features },
    await uplift.registry.activeResponseModel(),
    randomUnit(),
    randomUnit()
  )
  const fairnessValue = fairnessGroup(policy, cart)
  if (decision.chosen_percent > 0 && fairnessValue && !(await fairnessOk(discounts, policy, fairnessValue))) {
    decision.reasons.push(`Fairness cap: offers to ${policy.fairness.attribute} ${fairnessValue} are already ahead by more than ${policy.fairness.max_gap * 100}%.`)
    decision.chosen_percent = 0
  }
  // Item-level policies discount only the items worth it (src/recommendations/item-offers.ts).
  const itemPlan = policy.target === "items" ? await planItemOffer(container, policy, cart, decision, features) : null
  const { decision: logged, recorded } = await discounts.recordDecision({
    policy_id: policy.id,
    customer_id: cart.customer_id,
    cart_id: cart.id,
    round,
    group: decision.group,
    chosen_percent: decision.chosen_percent,
    propensity: decision.propensity,
    model_version: decision.model_version,
    features_digest: digest(features),
    features,
    candidates: decision.candidates,
    reasons: decision.reasons,
    basket_value: economics.value,
    margin_percent: economics.marginPercent,
    shadow: policy.status === "shadow",
    fairness_value: fairnessValue,
  })
  if (!recorded) {
    // A concurrent update of another cart decided first; its decision stands and issues the offer.
    return { decision_id: logged.id }
  }
  if (!shouldIssue(policy, decision)) {
    return { decision_id: logged.id, chosen_percent: decision.chosen_percent }
  }
  const issued = await discounts.issueOffer({
    policy,
    decision_id: logged.id,
    customer_id: cart.customer_id,
    cart_id: cart.id,
    discount_percent: decision.chosen_percent,
    reserved_amount: round2(((itemPlan ? itemPlan.targeted_cart_value : economics.value) * decision.chosen_percent) / 100),
    currency_code: cart.currency_code,
    reason: decision.reasons[decision.reasons.length - 1],
  })
  if (issued.refused) {
    const refusal = issued.refused === "budget" ? "Budget for this period is used up." : "The customer reached the policy's offer limit."
    await discounts.updateOfferDecisions({ id: logged.id, reasons: [...decision.reasons, refusal] as any })
    return { decision_id: logged.id, chosen_percent: 0 }
  }
  if (itemPlan) await saveItemOffer(container, issued.offer.id, cart.customer_id, decision.chosen_percent, itemPlan)
  return { decision_id: logged.id, offer_id: issued.offer.id, chosen_percent: decision.chosen_percent }
}

function shouldIssue(policy: any, decision: OfferDecision): boolean {
  return policy.status === "active" && decision.group !== "holdout" && decision.chosen_percent > 0
}

function fairnessGroup(policy: any, cart: any): string | null {
  const attribute = policy.fairness?.attribute
  if (!attribute) return null
  if (attribute === "country") return cart.shipping_address?.country_code ?? "unknown"
  if (attribute === "region") return cart.region_id ?? "unknown"
  return "unknown"
}

async function fairnessOk(discounts: DiscountsModuleService, policy: any, group: string): Promise<boolean> {
  const since = new Date(Date.now() - 30 * 86_400_000)
  const decisions = await discounts.listOfferDecisions(
    { policy_id: policy.id, created_at: { $gte: since } },
    { select: ["fairness_value", "chosen_percent"], take: 10_000 }
  )
  const totals: Record<string, { offered: number; all: number }> = {}
  for (const decision of decisions) {
    const key = decision.fairness_value ?? "unknown"
    totals[key] ??= { offered: 0, all: 0 }
    totals[key].all++
    if (decision.chosen_percent > 0) totals[key].offered++
  }
  const rates = Object.fromEntries(Object.entries(totals).map(([key, t]) => [key, t.offered / t.all]))
  return fairnessAllows(rates, group, Number(policy.fairness.max_gap))
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
