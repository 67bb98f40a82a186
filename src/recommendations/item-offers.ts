import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { scoreCandidates } from "../ml/decision/offer-decision"
import type { Objective, OfferDecision, ResponseModel } from "../ml/decision/offer-decision"
import { priorResponseModel } from "../ml/decision/offer-decision"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { UPLIFT_MODULE } from "../modules/uplift"
import type UpliftModuleService from "../modules/uplift/service"
import { RECOMMENDATIONS_MODULE } from "../modules/recommendations"
import type RecommendationsModuleService from "../modules/recommendations/service"
import { OFFER_CODE_PREFIX } from "../workflows/discounts/promotion-context"
import { toNumber } from "../lib/numbers"
import { recommendForCustomer } from "./recommend"

/** The promotion-context attribute (on the context and on each targeted line) that item tier promotions match. */
export const ITEM_OFFER_ATTRIBUTE = "uplift_item_offer"
/** Recommended products (besides the cart's lines) considered for an item offer. */
const RECOMMENDED_CANDIDATES = 10

export function itemTierPromotionCode(percent: number): string {
  return `${OFFER_CODE_PREFIX}ITEMS-${percent}`
}

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

export interface ItemOfferPlan {
  product_ids: string[]
  expected: Record<string, number>
  /** Value of the cart lines the offer discounts (what the budget reserves against). */
  targeted_cart_value: number
}

type CartForPlan = {
  customer_id: string
  region_id?: string | null
  sales_channel_id?: string | null
  items: { product_id?: string | null; unit_price?: unknown; quantity?: unknown; variant?: { metadata?: Record<string, unknown> | null } | null }[]
}

/**
 * Item-level policies (`target: "items"`): narrows the order-level decision (holdout, exploration, ladder,
 * margin floor already applied) to the cart lines and recommended products whose expected incremental
 * profit at the chosen level is positive. With none, the decision becomes "no offer" and says why.
 * Mutates `decision` (chosen level and reasons) so that the logged decision is what was offered.
 */
export async function planItemOffer(
  container: MedusaContainer,
  policy: ItemTargetPolicy & { id: string },
  cart: CartForPlan,
  decision: OfferDecision,
  features: Record<string, number>
): Promise<ItemOfferPlan | null> {
  const percent = decision.chosen_percent
  if (percent <= 0) return null
  const uplift = container.resolve<UpliftModuleService>(UPLIFT_MODULE)
  const defaultMargin = uplift.options.defaultMarginPercent
  const lines: ItemCandidate[] = cart.items
    .filter((item) => item.product_id)
    .map((item) => {
      const price = toNumber(item.unit_price)
      const cost = Number(item.variant?.metadata?.cost)
      const hasCost = item.variant?.metadata?.cost !== undefined && item.variant?.metadata?.cost !== null && Number.isFinite(cost)
      return { product_id: item.product_id!, value: price * toNumber(item.quantity), margin_percent: hasCost && price > 0 ? (100 * (price - cost)) / price : defaultMargin }
    })
  const recommended = await recommendedCandidates(container, cart, defaultMargin).catch((error) => {
    container.resolve("logger").warn(`medusa-uplift: item offer without recommended items: ${(error as Error).message}`)
    return [] as ItemCandidate[]
  })
  const model: ResponseModel = (await uplift.registry.activeResponseModel()) ?? priorResponseModel
  const pBuy = model.predict(features, [0, percent]) as [number, number]
  const chosen = chooseItemTargets(policy, percent, pBuy, [...lines, ...recommended])
  if (!chosen.product_ids.length) {
    decision.reasons.push(`Item offer: no item is expected to pay for a ${percent}% discount; no offer.`)
    decision.chosen_percent = 0
    return null
  }
  const targeted = new Set(chosen.product_ids)
  const inCart = lines.filter((line) => targeted.has(line.product_id))
  decision.reasons.push(
    `Item offer: ${percent}% off ${chosen.product_ids.length} item(s) whose expected incremental ${policy.objective} is positive (${inCart.length} in the cart).`
  )
  return { ...chosen, targeted_cart_value: inCart.reduce((sum, line) => sum + line.value, 0) }
}

async function recommendedCandidates(container: MedusaContainer, cart: CartForPlan, defaultMargin: number): Promise<ItemCandidate[]> {
  const result = await recommendForCustomer(container, {
    customerId: cart.customer_id,
    regionId: cart.region_id ?? null,
    salesChannelIds: cart.sales_channel_id ? [cart.sales_channel_id] : [],
    cartProductIds: [],
    limit: RECOMMENDED_CANDIDATES,
    withOffer: false,
  })
  return result.recommendations
    .filter((rec) => rec.price !== null && rec.price > 0)
    .map((rec) => ({
      product_id: rec.product_id,
      value: rec.price!,
      margin_percent: rec.cost !== null ? (100 * (rec.price! - rec.cost)) / rec.price! : defaultMargin,
    }))
}

/** Stores the offer's targets and makes sure the tier promotion of its level exists. */
export async function saveItemOffer(container: MedusaContainer, offerId: string, customerId: string, percent: number, plan: ItemOfferPlan): Promise<void> {
  const recs = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
  await recs.saveItemTargets({ offer_id: offerId, customer_id: customerId, discount_percent: percent, product_ids: plan.product_ids, expected: plan.expected })
  await ensureItemTierPromotion(container, percent)
}

const ensuredLevels = new Set<number>()

/**
 * One automatic promotion per level (`UPLIFT-ITEMS-10`: 10% off each targeted line), whose target rule
 * matches only lines that the promotion context marks with `uplift_item_offer`: a handful of promotions
 * serve every item offer, so the promotions table stays small.
 */
export async function ensureItemTierPromotion(container: MedusaContainer, percent: number): Promise<void> {
  if (ensuredLevels.has(percent)) return
  const promotions = container.resolve(Modules.PROMOTION)
  const code = itemTierPromotionCode(percent)
  const [existing] = await promotions.listPromotions({ code: [code] }, { select: ["id"] })
  if (!existing) {
    try {
      await promotions.createPromotions([
        {
          code,
          type: "standard" as const,
          status: "active" as const,
          is_automatic: true,
          application_method: {
            type: "percentage" as const,
            target_type: "items" as const,
            allocation: "each" as const,
            value: percent,
            // Required with allocation "each"; the offer covers every unit of a targeted line.
            max_quantity: 1_000_000,
            target_rules: [{ attribute: `items.${ITEM_OFFER_ATTRIBUTE}`, operator: "eq" as const, values: [String(percent)] }],
          },
          rules: [{ attribute: ITEM_OFFER_ATTRIBUTE, operator: "eq" as const, values: [String(percent)] }],
        },
      ])
    } catch (error) {
      // Another process created it first (codes are unique).
      const [again] = await promotions.listPromotions({ code: [code] }, { select: ["id"] })
      if (!again) throw error
    }
  }
  ensuredLevels.add(percent)
}

type CartForContext = {
  items?: ({ product_id?: string | null; unit_price?: unknown; quantity?: unknown } & Record<string, unknown>)[] | null
}

/**
 * The promotion context of an item offer: the level on the context and on each targeted line (the
 * context's `items` replace the cart's in promotion evaluation, same lines plus the attribute), or {}
 * when no line is targeted or the budget cannot cover them.
 */
export async function itemOfferPromotionContext(
  container: MedusaContainer,
  cart: CartForContext,
  offer: { id: string; reserved_amount: number; policy: any },
  percent: number
): Promise<Record<string, unknown>> {
  const recs = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
  const targets = new Set(await recs.itemTargets(offer.id))
  const items = cart.items ?? []
  const targeted = items.filter((item) => item.product_id && targets.has(item.product_id))
  if (!targeted.length) return {}
  const value = targeted.reduce((sum, item) => sum + toNumber(item.unit_price) * toNumber(item.quantity), 0)
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  if (!(await discounts.ensureReservation(offer, offer.policy, Math.round(value * percent) / 100))) return {}
  await ensureItemTierPromotion(container, percent)
  const level = String(percent)
  return {
    [ITEM_OFFER_ATTRIBUTE]: level,
    items: items.map((item) => (item.product_id && targets.has(item.product_id) ? { ...item, [ITEM_OFFER_ATTRIBUTE]: level } : item)),
  }
}

/** The customer's usable item offer (percent and targeted products), or null. */
export async function currentItemOffer(container: MedusaContainer, customerId: string): Promise<{ offer_id: string; percent: number; product_ids: Set<string> } | null> {
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const offer = await discounts.findUsableOffer(customerId)
  if (!offer || offer.policy?.target !== "items") return null
  const recs = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
  const ids = await recs.itemTargets(offer.id)
  return ids?.length ? { offer_id: offer.id, percent: Number(offer.discount_percent), product_ids: new Set(ids) } : null
}
