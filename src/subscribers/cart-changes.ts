import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { cartActivityWorkflow } from "../workflows/carts/cart-activity"

/**
 * A cart changed or changed hands: records what is in it (src/workflows/carts/cart-activity.ts). The personal
 * offer was decided by the cart request itself. A fault in recording is raised, so that the event bus can
 * retry it.
 */
export default async function cartChangesHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.data?.id) await cartActivityWorkflow(container).run({ input: { event_name: event.name, cart_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: ["cart.created", "cart.updated", "cart.customer_updated", "cart.customer_transferred"],
  context: { subscriberId: "medusa-uplift-cart-changes" },
}
