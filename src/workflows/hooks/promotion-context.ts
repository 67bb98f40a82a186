import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { updateCartPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { personalOfferPromotionContext } from "../discounts/promotion-context"
import { UPLIFT_MODULE } from "../../modules/uplift"
import type UpliftModuleService from "../../modules/uplift/service"

/**
 * Decides (for a logged-in shopper without one) and feeds the customer's personal offer into promotion
 * evaluation, inside the cart request, so its response shows the offer. A hook takes one handler per process:
 * set UPLIFT_PROMOTION_CONTEXT_HOOK=off if your app handles setPromotionContext, and call
 * personalOfferPromotionContext from your own handler. With the plugin option
 * registerPromotionContextHook: false this handler adds nothing (your handler calls it).
 */
if (process.env.UPLIFT_PROMOTION_CONTEXT_HOOK !== "off") {
  updateCartPromotionsWorkflow.hooks.setPromotionContext(async ({ cart, promo_codes, action }, { container, parentStepIdempotencyKey }) => {
    if (!container.resolve<UpliftModuleService>(UPLIFT_MODULE).options.registerPromotionContextHook) return new StepResponse({})
    return new StepResponse(await personalOfferPromotionContext(container, cart as any, { promo_codes, action, parentStepIdempotencyKey }))
  })
}
