import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { cartInteractions, CartSnapshot } from "../ingestion/normalize"
import { enqueueInteractions } from "../ingestion/enqueue"

/** Records what is in a cart each time it changes or changes hands. */
export default async function cartActivityHandler({ event, container }: SubscriberArgs<{ id: string }>) {
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
  context: { subscriberId: "medusa-uplift-cart-activity" },
}
