import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { refreshOfferCarts } from "../refresh-carts"

export const refreshCartPromotionsStepId = "uplift-refresh-cart-promotions"
/**
 * Re-evaluates promotions on every open cart of these customers that carries a personal offer (not only
 * the cart an offer was issued on), so that a revoked offer disappears at once.
 */
export const refreshCartPromotionsStep = createStep(refreshCartPromotionsStepId, async (customerIds: string[], { container }) => {
  return new StepResponse({ refreshed: await refreshOfferCarts(container, customerIds) })
})
