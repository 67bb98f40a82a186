import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { enqueueInteractions } from "../../../ingestion/enqueue"
import { orderInteractions } from "../../../ingestion/normalize"
import { isolateFault } from "../../isolate-fault"
import { loadOrderSnapshot } from "../order-snapshot"
import type { OrderPlacedInput } from "./order-placed-input"

export const recordOrderPurchaseStepId = "uplift-order-placed-record-purchase"

/**
 * The order's lines join the purchase history the models learn from (queued; a redelivered event is one
 * job). No compensation: the purchase happened.
 */
export const recordOrderPurchaseStep = createStep(recordOrderPurchaseStepId, async ({ order_id }: OrderPlacedInput, { container }) => {
  await isolateFault(container, `order.placed purchase history of order ${order_id}`, async () => {
    const order = await loadOrderSnapshot(container, order_id)
    if (order) await enqueueInteractions(container, "order.placed", order.id, orderInteractions(order, "purchase"))
  })
  return new StepResponse(undefined)
})
