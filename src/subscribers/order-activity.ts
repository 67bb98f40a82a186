import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { orderInteractions, returnInteractions, ReturnSnapshot } from "../ingestion/normalize"
import { enqueueInteractions } from "../ingestion/enqueue"
import { loadOrderSnapshot } from "../workflows/orders/order-snapshot"

type OrderEvent = { id?: string; order_id?: string; return_id?: string }

/** Cancellations and received returns: outcomes the models learn from (purchases: order-placed.ts). */
export default async function orderActivityHandler({ event, container }: SubscriberArgs<OrderEvent>) {
  const orderId = event.data.order_id ?? event.data.id
  const order = orderId ? await loadOrderSnapshot(container, orderId) : undefined
  if (!order) {
    return
  }
  if (event.name === "order.return_received" && event.data.return_id) {
    const received = await loadReturn(container, event.data.return_id)
    if (received) {
      await enqueueInteractions(container, event.name, received.id, returnInteractions(order, received))
    }
    return
  }
  await enqueueInteractions(container, event.name, order.id, orderInteractions(order, "cancel"))
}

async function loadReturn(container: MedusaContainer, id: string): Promise<ReturnSnapshot | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "return", fields: ["id", "items.item_id", "items.quantity"], filters: { id } })
  return data[0] as ReturnSnapshot | undefined
}

export const config: SubscriberConfig = {
  event: ["order.canceled", "order.return_received"],
  context: { subscriberId: "medusa-uplift-order-activity" },
}
