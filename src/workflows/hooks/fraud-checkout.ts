import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { assessCheckout } from "../fraud/assess-checkout"
import type FraudModuleService from "../../modules/fraud/service"
import { claimPersonalOffer, OfferClaim, releaseOfferClaim } from "../discounts/claim-offer"

/**
 * The checkout validate hook: fraud screening before the order exists, then the claim of the personal
 * offer for this cart (given back if the checkout fails later). A hook takes one handler per process: set
 * UPLIFT_CHECKOUT_VALIDATE_HOOK=off if your app handles completeCartWorkflow.hooks.validate itself, and call
 * assessCheckout(container, cart) and then claimPersonalOffer(container, cart) from your own handler (and
 * releaseOfferClaim(container, claim) from its compensation). With the plugin option
 * registerCheckoutValidateHook: false this handler does nothing (your handler calls them).
 */
if (process.env.UPLIFT_CHECKOUT_VALIDATE_HOOK !== "off") {
  completeCartWorkflow.hooks.validate(
    async ({ cart }, { container }) => {
      if (!container.resolve<FraudModuleService>("upliftFraud").options.registerCheckoutValidateHook) return
      await assessCheckout(container, cart as any)
      const claim = await claimPersonalOffer(container, cart as any)
      return new StepResponse(undefined, claim)
    },
    async (claim: OfferClaim | null | undefined, { container }) => {
      await releaseOfferClaim(container, claim)
    }
  )
}
