import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { assessCheckout } from "../../modules/fraud/assess"

/**
 * Fraud screening before the order exists. A hook takes one handler per process: set
 * UPLIFT_CHECKOUT_VALIDATE_HOOK=off if your app handles completeCartWorkflow.hooks.validate itself, and call
 * assessCheckout(container, cart) from your own handler (plugin option registerCheckoutValidateHook: false
 * turns screening off without unregistering).
 */
if (process.env.UPLIFT_CHECKOUT_VALIDATE_HOOK !== "off") {
  completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
    await assessCheckout(container, cart as any)
  })
}
