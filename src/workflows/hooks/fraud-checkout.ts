import type { MedusaContainer } from "@medusajs/framework/types"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { startCheckoutAssessment } from "../fraud/assess-checkout"
import type FraudModuleService from "../../modules/fraud/service"
import { claimPersonalOffer, OfferClaim, releaseOfferClaim } from "../discounts/claim-offer"

type Hook = (handler: (input: { input: { id: string } }, context: { container: MedusaContainer }) => Promise<void>) => void
const beforePaymentAuthorization = (completeCartWorkflow.hooks as unknown as { beforePaymentAuthorization?: Hook }).beforePaymentAuthorization
/**
 * UPLIFT_BEFORE_PAYMENT_AUTHORIZATION_HOOK=off (your app handles completeCartWorkflow's
 * beforePaymentAuthorization hook): the validate hook waits for the assessment's write itself.
 */
const writeAwaitedBeforeAuthorization = typeof beforePaymentAuthorization === "function" && process.env.UPLIFT_BEFORE_PAYMENT_AUTHORIZATION_HOOK !== "off"

/**
 * The checkout validate hook: fraud screening before the order exists, then the claim of the personal
 * offer for this cart (given back if the checkout fails later). A checkout the screening lets through is
 * not kept waiting for its assessment's write: the beforePaymentAuthorization hook awaits it, so the
 * assessment and any hold are stored before the payment is authorized, and a failed write stops the
 * checkout there. A hook takes one handler per process: set
 * UPLIFT_CHECKOUT_VALIDATE_HOOK=off if your app handles completeCartWorkflow.hooks.validate itself, and call
 * assessCheckout(container, cart) and then claimPersonalOffer(container, cart) from your own handler (and
 * releaseOfferClaim(container, claim) from its compensation). With the plugin option
 * registerCheckoutValidateHook: false this handler does nothing (your handler calls them).
 */
if (process.env.UPLIFT_CHECKOUT_VALIDATE_HOOK !== "off") {
  completeCartWorkflow.hooks.validate(
    async ({ cart }, { container }) => {
      const fraud = container.resolve<FraudModuleService>("upliftFraud")
      if (!fraud.options.registerCheckoutValidateHook) return
      const screening = await startCheckoutAssessment(container, cart as any)
      if (screening && writeAwaitedBeforeAuthorization) fraud.keepAssessmentWrite(cart.id, screening.recorded)
      else if (screening) await screening.recorded
      const claim = await claimPersonalOffer(container, cart as any)
      return new StepResponse(undefined, claim)
    },
    async (claim: OfferClaim | null | undefined, { container }) => {
      await releaseOfferClaim(container, claim)
    }
  )
  if (writeAwaitedBeforeAuthorization) {
    beforePaymentAuthorization!(async ({ input }, { container }) => {
      await container.resolve<FraudModuleService>("upliftFraud").awaitAssessmentWrite(input.id)
    })
  }
}
