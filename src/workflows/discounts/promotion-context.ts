import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../modules/discounts"
import type DiscountsModuleService from "../../modules/discounts/service"
import type { UsableOffer } from "../../modules/discounts/service"
import { fittingOfferPercent } from "../../modules/discounts/offer-limits"
import { basketMarginPercent, BasketItem, BasketShippingMethod, itemSubtotal, promotionCodesPercent } from "./basket"
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
  items?: BasketItem[] | null
  shipping_methods?: BasketShippingMethod[] | null
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
    const offer = await discounts.findUsableOffer(customerId, cart.id)
    if (!offer) {
      return {}
    }
    const percent = await offerPercentForCart(container, offer, cart, codesAfterUpdate(cart, pending))
    if (percent <= 0) {
      return {}
    }
    if (offer.policy?.target === "items") {
      return await itemOfferPromotionContext(container, cart, offer, percent)
    }
    const needed = Math.round(itemSubtotal(cart.items) * percent) / 100
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

/**
 * The level the offer gives on this cart: exclusive offers step aside for other codes, combined ones keep
 * the total under the cap, and an order offer keeps the basket's margin above the policy's floor.
 */
async function offerPercentForCart(container: MedusaContainer, offer: UsableOffer, cart: CartForContext, codes: string[]): Promise<number> {
  const otherCodes = codes.filter((code) => !code.startsWith(OFFER_CODE_PREFIX))
  const policy = offer.policy
  const combined = otherCodes.length > 0 && policy.stacking === "combine"
  const basket = {
    hasOtherCodes: otherCodes.length > 0,
    otherPercent: combined ? await promotionCodesPercent(container, otherCodes, cart) : 0,
    // Item offers checked each targeted item's margin when they were decided.
    marginPercent: policy.target === "items" ? null : await basketMarginPercent(container, cart.items),
  }
  return fittingOfferPercent(offer.discount_percent, policy, basket)
}
