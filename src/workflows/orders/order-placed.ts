import { createWorkflow, parallelize, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { linkOrderScreeningStep } from "./steps/link-order-screening"
import type { OrderPlacedInput } from "./steps/order-placed-input"
import { recordOrderPurchaseStep } from "./steps/record-order-purchase"
import { redeemOrderOfferStep } from "./steps/redeem-order-offer"

export const orderPlacedWorkflowId = "uplift-order-placed"

/**
 * Everything the plugin does when an order is placed: fraud linking (or screening) with the refund of a held
 * capture, the redemption of the personal offer, and the purchase history. Independent of each other: they
 * run side by side and a fault in one is logged without stopping the others.
 */
export const orderPlacedWorkflow = createWorkflow(orderPlacedWorkflowId, (input: OrderPlacedInput) => {
  const [screening] = parallelize(linkOrderScreeningStep(input), redeemOrderOfferStep(input), recordOrderPurchaseStep(input))
  return new WorkflowResponse(screening)
})
