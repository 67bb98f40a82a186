import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordCartEvent } from "../ingestion/record"

/**
 * A cart changed or changed hands: records what is in it (the learning loop), batched with the other cart
 * events the event bus runs at the same time (src/ingestion/record.ts). The personal offer is not decided
 * here: the cart request decided it already (src/workflows/discounts/decision, through the promotion-context
 * hook), so that its response shows the offer. A fault in recording is raised, so that the event bus can
 * retry it.
 */
export default async function cartChangesHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await recordCartEvent(container, { name: event.name, id: event.data.id })
}

export const config: SubscriberConfig = {
  event: ["cart.created", "cart.updated", "cart.customer_updated", "cart.customer_transferred"],
  context: { subscriberId: "medusa-uplift-cart-changes" },
}
