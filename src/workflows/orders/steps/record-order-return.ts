import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { enqueueInteractions } from "../../../ingestion/enqueue"
import { returnInteractions, ReturnSnapshot } from "../../../ingestion/normalize"
import { loadOrderSnapshot } from "../order-snapshot"

export const recordOrderReturnStepId = "uplift-order-activity-record-return"

/**
 * A received return's lines join the history as returns, priced from the order's lines. Only the return the
 * event names is recorded, and only as returns: never as a purchase or a cancellation of the whole order.
 * No compensation: the goods came back.
 */
export const recordOrderReturnStep = createStep(recordOrderReturnStepId, async ({ order_id, return_id }: { order_id: string; return_id: string }, { container }) => {
  const [order, received] = await Promise.all([loadOrderSnapshot(container, order_id), loadReturn(container, return_id)])
  if (order && received) await enqueueInteractions(container, "order.return_received", received.id, returnInteractions(order, received))
  return new StepResponse(undefined)
})

async function loadReturn(container: MedusaContainer, id: string): Promise<ReturnSnapshot | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "return", fields: ["id", "items.item_id", "items.quantity"], filters: { id } })
  return data[0] as ReturnSnapshot | undefined
}
