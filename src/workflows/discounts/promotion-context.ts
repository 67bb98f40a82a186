import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../modules/discounts"
import type DiscountsModuleService from "../../modules/discounts/service"
import { toNumber } from "../../ingestion/normalize"
import { itemOfferPromotionContext } from "../../recommendations/item-offers"
import { authenticatedCartCustomer } from "./cart-shopper"

/** The promotion-rule attribute that the tier promotions match on. */
export const OFFER_CONTEXT_ATTRIBUTE = "uplift_offer"
export const OFFER_CODE_PREFIX = "UPLIFT-"

export function tierPromotionCode(percent: number): string {
  return `${OFFER_CODE_PREFIX}${percent}`
}

type CartForContext = {
  id?: string | null
  customer_id?: string | null
  customer?: { id?: string | null } | null
  items?: { unit_price?: unknown; quantity?: unknown }[] | null
  promotions?: { code?: string | null }[] | null
}

/**
 * The promotion context that unlocks the customer's personal offer on this cart, or {} (guest carts, carts
 * whose customer is not the authenticated shopper, no usable offer, stacking not allowed, budget cannot cover
 * the grown cart). Merchants who handle
 * `updateCartPromotionsWorkflow.hooks.setPromotionContext` themselves call this and merge the result.
 * Never throws: a fault here must not break a cart.
 */
export async function personalOfferPromotionContext(
  container: MedusaContainer,
  cart: CartForContext,
  pending: { promo_codes?: string[]; action?: string } = {}
): Promise<Record<string, unknown>> {
  try {
    const customerId = await authenticatedCartCustomer(container, cart)
    if (!customerId) {
      return {}
    }
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    const offer = await discounts.findUsableOffer(customerId)
    if (!offer) {
      return {}
    }
    const percent = stackedPercent(offer, codesAfterUpdate(cart, pending))
    if (percent <= 0) {
      return {}
    }
    if (offer.policy?.target === "items") {
      return await itemOfferPromotionContext(container, cart, offer, percent)
    }
    const subtotal = (cart.items ?? []).reduce((sum, item) => sum + toNumber(item.unit_price) * toNumber(item.quantity), 0)
    const needed = Math.round(subtotal * percent) / 100
    if (!(await discounts.ensureReservation(offer, offer.policy, needed))) {
      return {}
    }
    return { [OFFER_CONTEXT_ATTRIBUTE]: String(percent) }
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: personal offer skipped for a cart: ${(error as Error).message}`)
    return {}
  }
}

/** The cart's codes once the update being evaluated (add, replace or remove codes) is done. */
function codesAfterUpdate(cart: CartForContext, pending: { promo_codes?: string[]; action?: string }): string[] {
  const current = (cart.promotions ?? []).map((promotion) => promotion.code).filter(Boolean) as string[]
  const requested = pending.promo_codes ?? []
  if (pending.action === "replace") return requested
  if (pending.action === "remove") return current.filter((code) => !requested.includes(code))
  return [...current, ...requested]
}

/** Exclusive offers step aside for the shopper's own codes; combined ones keep the total under the cap. */
function stackedPercent(offer: { discount_percent: number; policy: any }, codes: string[]): number {
  const otherCodes = codes.filter((code) => !code.startsWith(OFFER_CODE_PREFIX))
  if (!otherCodes.length) {
    return offer.discount_percent
  }
  if (offer.policy.stacking === "exclusive") {
    return 0
  }
  const cap = offer.policy.max_total_discount_percent
  return cap === null || cap === undefined ? offer.discount_percent : Math.min(offer.discount_percent, cap)
}
