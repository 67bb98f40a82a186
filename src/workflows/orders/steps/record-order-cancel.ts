import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { enqueueInteractions } from "../../../ingestion/enqueue"
import { orderInteractions } from "../../../ingestion/normalize"
import { loadOrderSnapshot } from "../order-snapshot"

export const recordOrderCancelStepId = "uplift-order-activity-record-cancel"

/**
 * A canceled order's lines join the history as cancellations (a redelivered event is one queued job and its
 * rows are stored once). No compensation: the order was canceled.
 */
export const recordOrderCancelStep = createStep(recordOrderCancelStepId, async ({ order_id }: { order_id: string }, { container }) => {
  const order = await loadOrderSnapshot(container, order_id)
  if (order) await enqueueInteractions(container, "order.canceled", order.id, orderInteractions(order, "cancel"))
  return new StepResponse(undefined)
})
