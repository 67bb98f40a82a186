import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { OrderActivityInput } from "./steps/order-activity-input"
import { recordOrderCancelStep } from "./steps/record-order-cancel"
import { recordOrderReturnStep } from "./steps/record-order-return"

export const orderActivityWorkflowId = "uplift-order-activity"

/**
 * Cancellations and received returns: outcomes the models learn from (purchases: order-placed.ts). A
 * cancellation records the order's lines as canceled; a received return records the returned lines of the
 * return the event names, and an event naming no return records nothing (it is never taken for the order).
 */
export const orderActivityWorkflow = createWorkflow(orderActivityWorkflowId, (input: OrderActivityInput) => {
  when("order-canceled", { input }, ({ input }) => input.event_name === "order.canceled").then(() => {
    recordOrderCancelStep(transform({ input }, ({ input }) => ({ order_id: input.order_id })))
  })
  when("return-received", { input }, ({ input }) => input.event_name === "order.return_received" && Boolean(input.return_id)).then(() => {
    recordOrderReturnStep(transform({ input }, ({ input }) => ({ order_id: input.order_id, return_id: input.return_id! })))
  })
  return new WorkflowResponse(undefined)
})
