import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderActivityWorkflow } from "../workflows/orders/order-activity"
import type { OrderActivityInput } from "../workflows/orders/steps/order-activity-input"

type OrderEvent = { id?: string; order_id?: string; return_id?: string }

/** Cancellations and received returns: outcomes the models learn from (src/workflows/orders/order-activity.ts). */
export default async function orderActivityHandler({ event, container }: SubscriberArgs<OrderEvent>) {
  const orderId = event.data?.order_id ?? event.data?.id
  if (!orderId) return
  const input: OrderActivityInput = { event_name: event.name as OrderActivityInput["event_name"], order_id: orderId, return_id: event.data.return_id ?? null }
  await orderActivityWorkflow(container).run({ input })
}

export const config: SubscriberConfig = {
  event: ["order.canceled", "order.return_received"],
  context: { subscriberId: "medusa-uplift-order-activity" },
}
