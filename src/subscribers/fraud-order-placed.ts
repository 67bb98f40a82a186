import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type FraudModuleService from "../modules/fraud/service"
import { refundHeldCapturesWorkflow } from "../workflows/fraud/refund-held-captures"
import { screenPlacedOrder } from "../workflows/fraud/screen-placed-order"

/**
 * Links the cart's fraud assessment (and a pending hold) to the order just placed; an order without a cart (a
 * converted draft order) is screened now. A held order whose payment was captured at authorization (a
 * provider that captures at once) is refunded and stays held.
 */
export default async function fraudOrderPlacedHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const orderId = event.data?.id
  if (!orderId) return
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order_cart", fields: ["cart_id"], filters: { order_id: orderId } })
  const cartId = (data[0] as { cart_id?: string } | undefined)?.cart_id
  const hold_id = cartId ? (await container.resolve<FraudModuleService>("upliftFraud").linkOrder(cartId, orderId)).hold_id : await screenPlacedOrder(container, orderId)
  if (hold_id) await refundHeldCapturesWorkflow(container).run({ input: { order_id: orderId } })
}

export const config: SubscriberConfig = { event: "order.placed", context: { subscriberId: "uplift-fraud-order-placed" } }
