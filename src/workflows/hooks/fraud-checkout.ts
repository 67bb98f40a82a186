import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { assessCheckout } from "../../modules/fraud/assess"
import type FraudModuleService from "../../modules/fraud/service"

/**
 * Fraud screening before the order exists. A hook takes one handler per process: set
 * UPLIFT_CHECKOUT_VALIDATE_HOOK=off if your app handles completeCartWorkflow.hooks.validate itself, and call
 * assessCheckout(container, cart) from your own handler. With the plugin option
 * registerCheckoutValidateHook: false this handler does nothing (your handler calls assessCheckout).
 */
if (process.env.UPLIFT_CHECKOUT_VALIDATE_HOOK !== "off") {
  completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
    if (!container.resolve<FraudModuleService>("upliftFraud").options.registerCheckoutValidateHook) return
    await assessCheckout(container, cart as any)
  })
}
