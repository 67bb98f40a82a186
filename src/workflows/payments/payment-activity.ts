import { createWorkflow, parallelize, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { PaymentEventInput } from "./steps/payment-event-input"
import { recordPaymentMovementsStep } from "./steps/record-payment-movements"
import { refundCaptureOnHoldStep } from "./steps/refund-capture-on-hold"

export const paymentActivityWorkflowId = "uplift-payment-activity"

/**
 * A payment captured or refunded: the money joins the customer's history, and a capture on an order under
 * fraud hold is refunded. Independent: side by side, a fault in one logged without stopping the other.
 */
export const paymentActivityWorkflow = createWorkflow(paymentActivityWorkflowId, (input: PaymentEventInput) => {
  parallelize(recordPaymentMovementsStep(input), refundCaptureOnHoldStep(input))
  return new WorkflowResponse(undefined)
})
