import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../../modules/discounts"
import type DiscountsModuleService from "../../modules/discounts/service"
import type { UsableOffer } from "../../modules/discounts/service"
import { fittingOfferPercent } from "../../modules/discounts/offer-limits"
import { toNumber } from "../../lib/numbers"
import { basketMarginPercent, BasketItem, itemSubtotal } from "./basket"
import { offerCodesOf } from "./offer-codes"
import { refreshCarts } from "./refresh-carts"

/** What a checkout claimed, for its compensation to give back. */
export interface OfferClaim {
  offer_id: string
  cart_id: string
  previous_cart_id: string | null
}

type Adjustment = { code?: string | null; amount?: unknown }

export type CartAtCheckout = {
  id: string
  completed_at?: unknown
  customer_id?: string | null
  customer?: { id?: string | null } | null
  items?: (BasketItem & { adjustments?: Adjustment[] | null })[] | null
  shipping_methods?: { adjustments?: Adjustment[] | null }[] | null
}

/** Cents: adjustments are rounded amounts, limits are percentages. */
const AMOUNT_TOLERANCE = 0.01
const REFRESH_ATTEMPTS = 3
const REFRESH_RETRY_MS = 1_000

export const OFFER_NOT_AVAILABLE_MESSAGE =
  "Your personal discount can no longer be used on this cart: it was used by another order, has expired, or no longer fits this basket. " +
  "Your cart has been updated; please review the new total and check out again."

/**
 * Claims the customer's personal offer for this cart's checkout, from `completeCartWorkflow.hooks.validate`
 * (call it after your own checks if your app handles that hook). Carts without the offer's discount cost
 * nothing. The claim is one conditional UPDATE: of two carts completing at once, one gets the offer; the
 * other checkout is refused with a NOT_ALLOWED error and its cart is refreshed, so the discount is gone
 * when the shopper looks again. The money never goes out twice. Also refused: a discount above what the
 * policy allows for the basket now (combined codes over the cap, margin under the floor).
 * Returns the claim to give back if the checkout fails later (`releaseOfferClaim`), or null.
 * A fault of the plugin is logged and lets the checkout through; the order's redemption settles the offer.
 */
export async function claimPersonalOffer(container: MedusaContainer, cart: CartAtCheckout): Promise<OfferClaim | null> {
  const adjustments = cartAdjustments(cart)
  const { isOfferCode } = offerCodesOf(container)
  if (cart.completed_at || !adjustments.some((adjustment) => isOfferCode(adjustment.code))) {
    return null
  }
  let outcome: OfferClaim | null | "refused"
  try {
    outcome = await claim(container, cart, adjustments)
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: personal offer of cart ${cart.id} not claimed: ${(error as Error).message}`)
    return null
  }
  if (outcome === "refused") {
    refreshWhenCheckoutEnds(container, cart.id)
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, OFFER_NOT_AVAILABLE_MESSAGE)
  }
  return outcome
}

/** Gives a claim back when the checkout that made it failed later (payment authorization, shipping). */
export async function releaseOfferClaim(container: MedusaContainer, claim: OfferClaim | null | undefined): Promise<void> {
  if (claim?.offer_id) {
    await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).releaseClaim(claim.offer_id, claim.cart_id, claim.previous_cart_id)
  }
}

async function claim(container: MedusaContainer, cart: CartAtCheckout, adjustments: Adjustment[]): Promise<OfferClaim | null | "refused"> {
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const customerId = cart.customer_id ?? cart.customer?.id
  const offer = customerId ? await discounts.findUsableOffer(customerId, cart.id) : undefined
  if (!offer || !(await withinLimits(container, offer, cart, adjustments))) {
    return "refused"
  }
  if (offer.status === "claimed") {
    return null // this cart's own claim, left by an attempt that did not finish: nothing new to give back
  }
  const claimed = await discounts.claimOffer(offer.id, cart.id)
  return claimed ? { offer_id: offer.id, cart_id: cart.id, previous_cart_id: offer.cart_id } : "refused"
}

/** Whether the discount the cart carries is what the policy allows on this basket now, with the other codes applied. */
async function withinLimits(container: MedusaContainer, offer: UsableOffer, cart: CartAtCheckout, adjustments: Adjustment[]): Promise<boolean> {
  const subtotal = itemSubtotal(cart.items)
  if (subtotal <= 0) {
    return false
  }
  const { isOfferCode } = offerCodesOf(container)
  const offerAmount = sumAmounts(adjustments.filter((adjustment) => isOfferCode(adjustment.code)))
  const others = adjustments.filter((adjustment) => !isOfferCode(adjustment.code))
  const allowed = fittingOfferPercent(offer.discount_percent, offer.policy, {
    hasOtherCodes: others.length > 0,
    otherPercent: (100 * sumAmounts(others)) / subtotal,
    marginPercent: offer.policy.target === "items" ? null : await basketMarginPercent(container, cart.items),
  })
  return offerAmount <= (allowed * subtotal) / 100 + AMOUNT_TOLERANCE
}

function cartAdjustments(cart: CartAtCheckout): Adjustment[] {
  return [...(cart.items ?? []), ...(cart.shipping_methods ?? [])].flatMap((line) => line.adjustments ?? [])
}

function sumAmounts(adjustments: Adjustment[]): number {
  return adjustments.reduce((sum, adjustment) => sum + toNumber(adjustment.amount), 0)
}

/**
 * The refused checkout holds the cart's lock until its workflow has rolled back; the refresh waits for it
 * (a validate hook must not change the cart itself).
 */
function refreshWhenCheckoutEnds(container: MedusaContainer, cartId: string): void {
  void (async () => {
    for (let attempt = 0; attempt < REFRESH_ATTEMPTS; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, attempt ? REFRESH_RETRY_MS : 0))
      if (await refreshCarts(container, [cartId])) return
    }
    container.resolve("logger").warn(`medusa-uplift: cart ${cartId} kept a personal discount it may not use; its next update removes it`)
  })()
}
