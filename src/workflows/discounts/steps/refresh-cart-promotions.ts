import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { refreshCarts } from "../refresh-carts"

export const refreshCartPromotionsStepId = "uplift-refresh-cart-promotions"
/** Re-evaluates promotions on open carts so that a revoked offer disappears at once. */
export const refreshCartPromotionsStep = createStep(refreshCartPromotionsStepId, async (cartIds: string[], { container }) => {
  return new StepResponse({ refreshed: await refreshCarts(container, cartIds) })
})
