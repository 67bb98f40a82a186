import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type FraudModuleService from "../modules/fraud/service"

/** Links the cart's fraud assessment (and a pending hold) to the order just placed. */
export default async function fraudOrderPlacedHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const orderId = event.data?.id
  if (!orderId) return
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order_cart", fields: ["cart_id"], filters: { order_id: orderId } })
  const cartId = (data[0] as { cart_id?: string } | undefined)?.cart_id
  if (!cartId) return
  await container.resolve<FraudModuleService>("upliftFraud").linkOrder(cartId, orderId)
}

export const config: SubscriberConfig = { event: "order.placed", context: { subscriberId: "uplift-fraud-order-placed" } }
