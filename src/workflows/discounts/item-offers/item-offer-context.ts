import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { RECOMMENDATIONS_MODULE } from "../../../modules/recommendations"
import type RecommendationsModuleService from "../../../modules/recommendations/service"
import { toNumber } from "../../../lib/numbers"
import { ITEM_OFFER_ATTRIBUTE } from "../tier-promotions"

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
  const level = String(percent)
  return {
    [ITEM_OFFER_ATTRIBUTE]: level,
    items: items.map((item) => (item.product_id && targets.has(item.product_id) ? { ...item, [ITEM_OFFER_ATTRIBUTE]: level } : item)),
  }
}
