import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { CartActivityInput, recordCartContentsStep } from "./steps/record-cart-contents"

export const cartActivityWorkflowId = "uplift-cart-activity"

/**
 * A cart changed or changed hands: its contents are recorded for the learning loop. The personal offer is
 * not decided here: the cart request decided it already (src/workflows/discounts/decision, through the
 * promotion-context hook), so that its response shows the offer.
 */
export const cartActivityWorkflow = createWorkflow(cartActivityWorkflowId, (input: CartActivityInput) => {
  recordCartContentsStep(input)
  return new WorkflowResponse(undefined)
})
