import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { linkHeldOrders } from "../link-held-orders"

export const linkHeldOrderStepId = "uplift-fraud-link-held-order"

/**
 * Links the hold to its order when order.placed did not (a failed subscriber), so that it can be resolved.
 * No compensation: the link records a fact (this cart became this order), true whatever happens next.
 */
export const linkHeldOrderStep = createStep(linkHeldOrderStepId, async (input: { hold_id: string }, { container }) => {
  return new StepResponse(await linkHeldOrders(container, [input.hold_id]))
})
