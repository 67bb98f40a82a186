import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { orderInteractions, OrderSnapshot, returnInteractions, ReturnSnapshot } from "../ingestion/normalize"
import { enqueueInteractions } from "../ingestion/enqueue"

const ORDER_FIELDS = [
  "id",
  "customer_id",
  "currency_code",
  "created_at",
  "items.id",
  "items.product_id",
  "items.variant_id",
  "items.quantity",
  "items.unit_price",
  "items.detail.quantity",
]

type OrderEvent = { id?: string; order_id?: string; return_id?: string }

/** Purchases, cancellations and received returns: the outcomes the models learn from. */
export default async function orderActivityHandler({ event, container }: SubscriberArgs<OrderEvent>) {
  const orderId = event.data.order_id ?? event.data.id
  const order = orderId ? await loadOrder(container, orderId) : undefined
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
  const kind = event.name === "order.canceled" ? "cancel" : "purchase"
  await enqueueInteractions(container, event.name, order.id, orderInteractions(order, kind))
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
