import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderPlacedWorkflow } from "../workflows/orders/order-placed"

/** An order placed: fraud linking, offer redemption and purchase history (src/workflows/orders/order-placed.ts). */
export default async function orderPlacedHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.data?.id) await orderPlacedWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "medusa-uplift-order-placed" },
}
