import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { recordOrderEvent } from "../../../ingestion/record"
import { isolateFault } from "../../isolate-fault"
import type { OrderPlacedInput } from "./order-placed-input"

export const recordOrderPurchaseStepId = "uplift-order-placed-record-purchase"

/**
 * The order's lines join the purchase history the models learn from (queued with other orders placed, see
 * src/ingestion/record.ts; a redelivered event stores nothing twice). No compensation: the purchase happened.
 */
export const recordOrderPurchaseStep = createStep(recordOrderPurchaseStepId, async ({ order_id }: OrderPlacedInput, { container }) => {
  await isolateFault(container, `order.placed purchase history of order ${order_id}`, () => recordOrderEvent(container, { name: "order.placed", id: order_id }))
  return new StepResponse(undefined)
})
