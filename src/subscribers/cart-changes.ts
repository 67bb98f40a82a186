import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { cartInteractions, CartSnapshot } from "../ingestion/normalize"
import { enqueueInteractions } from "../ingestion/enqueue"

/**
 * A cart changed or changed hands: one read of it records what is in it (the learning loop). The personal
 * offer is not decided here: the cart request decided it already (src/workflows/discounts/decision,
 * through the promotion-context hook), so that its response shows the offer. A fault in recording is
 * raised, so that the event bus can retry it.
 */
export default async function cartChangesHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id", "customer_id", "currency_code", "items.id", "items.product_id", "items.variant_id", "items.quantity", "items.unit_price"],
    filters: { id: event.data.id },
  })
  const cart = data[0] as CartSnapshot | undefined
  if (!cart) {
    return
  }
  await enqueueInteractions(container, event.name, cart.id, cartInteractions(cart))
}

export const config: SubscriberConfig = {
  event: ["cart.created", "cart.updated", "cart.customer_updated", "cart.customer_transferred"],
  context: { subscriberId: "medusa-uplift-cart-changes" },
}
