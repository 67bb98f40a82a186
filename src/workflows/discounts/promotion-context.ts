import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../modules/discounts"
import type DiscountsModuleService from "../../modules/discounts/service"
import type { UsableOffer } from "../../modules/discounts/service"
import { fittingOfferPercent } from "../../modules/discounts/offer-limits"
import { holdsOrderOffer } from "../../modules/discounts/read-ahead-hints"
import { offerCodesOf } from "./offer-codes"
import { Basket, BasketShippingMethod, CostedItem, itemSubtotal, loadBasket, promotionCodesPercent } from "./basket"
import { itemOfferPromotionContext } from "./item-offers/item-offer-context"
import { authenticatedCartCustomer } from "./cart-shopper"
import { decideInRequest } from "./decision/decide-in-request"
import { mayDeferClaim } from "./decision/deferred-claims"
import { DECISION_READ_STATEMENTS, poolHasRoom, startDecisionReads } from "./decision/decision-reads"
import { OFFER_CONTEXT_ATTRIBUTE } from "./tier-promotions"

export { OFFER_CONTEXT_ATTRIBUTE } from "./tier-promotions"

type CartForContext = {
  id?: string | null
  customer_id?: string | null
  customer?: { id?: string | null } | null
  currency_code?: string | null
  region_id?: string | null
  sales_channel_id?: string | null
  shipping_address?: { country_code?: string | null } | null
  items?: CostedItem[] | null
  shipping_methods?: BasketShippingMethod[] | null
  promotions?: { code?: string | null }[] | null
}

/**
 * The promotion context that unlocks the customer's personal offer on this cart, or {} (empty carts, guest
 * carts, carts whose customer is not the authenticated shopper, no usable offer, stacking not allowed, budget
 * cannot cover the grown cart). A logged-in shopper without an offer gets the decision here, inside the cart request,
 * so that its response already shows the offer. Merchants who handle
 * `updateCartPromotionsWorkflow.hooks.setPromotionContext` themselves call this and merge the result.
 * Never throws: a fault here must not break a cart.
 */
export async function personalOfferPromotionContext(
  container: MedusaContainer,
  cart: CartForContext,
  pending: { promo_codes?: string[]; action?: string; parentStepIdempotencyKey?: string } = {}
): Promise<Record<string, unknown>> {
  try {
    // An empty cart has nothing to discount: its first item's update decides, and remembers the cart as the
    // shopper's. Creating an empty cart (what storefronts do first) costs no statement.
    if (!cart.items?.length) return {}
    const customerId = await authenticatedCartCustomer(container, cart)
    if (!customerId || !cart.id) {
      return {}
    }
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    const basket = lazyBasket(container, cart)
    // One read: the usable offer, or which live policies already decided for this shopper. Beside it, what the
    // rest of the request will need by what this process saw last time: a draw's reads for a shopper who may
    // need a decision (when the pool has room), the basket for one who held an order offer (its margin).
    const live = await discounts.livePolicies()
    const liveIds = live.map((policy) => policy.id)
    const ahead = live.length ? discounts.readAheadHints.readAhead(customerId, liveIds) : "none"
    const reads = ahead === "decision" && poolHasRoom(container, DECISION_READ_STATEMENTS) ? startDecisionReads(container, customerId, basket) : undefined
    if (ahead === "basket") basket().catch(() => undefined)
    const { offer: usable, decided } = await discounts.usableOfferAndDecided(customerId, cart.id, liveIds)
    if (usable || decided.size === live.length) discounts.readAheadHints.rememberStanding(customerId, liveIds, holdsOrderOffer(usable, usable?.policy))
    const mayDefer = mayDeferClaim(container, cart.id, pending.parentStepIdempotencyKey)
    const offer = usable ?? (await decideInRequest(container, cart as any, customerId, basket, decided, reads, mayDefer))
    if (!offer) {
      return {}
    }
    const percent = await offerPercentForCart(container, offer, cart, codesAfterUpdate(cart, pending), basket)
    if (percent <= 0) {
      return {}
    }
    if (offer.policy?.target === "items") {
      return await itemOfferPromotionContext(container, cart, offer, percent)
    }
    const needed = Math.round(itemSubtotal(cart.items) * percent) / 100
    // A provisional offer's claim reserves its level on this basket.
    if (!offer.provisional && !(await discounts.ensureReservation(offer, offer.policy, needed))) {
      return {}
    }
    return { [OFFER_CONTEXT_ATTRIBUTE]: String(percent) }
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: personal offer skipped for a cart: ${(error as Error).message}`)
    return {}
  }
}

/** The basket with costs, read at most once per request and only when something needs it. */
function lazyBasket(container: MedusaContainer, cart: CartForContext): () => Promise<Basket> {
  let loaded: Promise<Basket> | undefined
  return () => (loaded ??= loadBasket(container, cart.items))
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
async function offerPercentForCart(
  container: MedusaContainer,
  offer: UsableOffer,
  cart: CartForContext,
  codes: string[],
  basket: () => Promise<Basket>
): Promise<number> {
  const offerCodes = offerCodesOf(container)
  const otherCodes = codes.filter((code) => !offerCodes.isOfferCode(code))
  const policy = offer.policy
  const combined = otherCodes.length > 0 && policy.stacking === "combine"
  const limits = {
    hasOtherCodes: otherCodes.length > 0,
    otherPercent: combined ? await promotionCodesPercent(container, otherCodes, cart) : 0,
    // Item offers checked each targeted item's margin when they were decided.
    marginPercent: policy.target === "items" ? null : (await basket()).marginPercent,
  }
  return fittingOfferPercent(offer.discount_percent, policy, limits)
}
