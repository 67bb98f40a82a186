import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { OrderSnapshot, returnInteractions, ReturnSnapshot } from "../ingestion/normalize"
import { enqueueInteractions } from "../ingestion/enqueue"
import { ORDER_FIELDS, recordOrderEvent } from "../ingestion/record"

type OrderEvent = { id?: string; order_id?: string; return_id?: string }

/** Purchases, cancellations (batched with other order events) and received returns: the outcomes the models learn from. */
export default async function orderActivityHandler({ event, container }: SubscriberArgs<OrderEvent>) {
  const orderId = event.data.order_id ?? event.data.id
  if (!orderId) {
    return
  }
  if (event.name !== "order.return_received") {
    await recordOrderEvent(container, { name: event.name, id: orderId })
    return
  }
  const order = await loadOrder(container, orderId)
  const received = order && event.data.return_id ? await loadReturn(container, event.data.return_id) : undefined
  if (order && received) {
    await enqueueInteractions(container, event.name, received.id, returnInteractions(order, received))
  }
}

async function loadOrder(container: MedusaContainer, id: string): Promise<OrderSnapshot | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id } })
  return data[0] as OrderSnapshot | undefined
}

async function loadReturn(container: MedusaContainer, id: string): Promise<ReturnSnapshot | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "return", fields: ["id", "items.item_id", "items.quantity"], filters: { id } })
  return data[0] as ReturnSnapshot | undefined
}

export const config: SubscriberConfig = {
  event: ["order.placed", "order.canceled", "order.return_received"],
  context: { subscriberId: "medusa-uplift-order-activity" },
}
