import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { SettleHeldOfferInput, settleHeldOfferStep } from "./steps/settle-held-offer"

export const settleHeldOfferWorkflowId = "uplift-settle-held-offer"

/** A fraud hold resolved: the order's personal offer is redeemed when released and given back when rejected. */
export const settleHeldOfferWorkflow = createWorkflow(settleHeldOfferWorkflowId, (input: SettleHeldOfferInput) => {
  return new WorkflowResponse(settleHeldOfferStep(input))
})
