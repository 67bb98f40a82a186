import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { FRAUD_MODULE } from "../../modules/fraud"
import { assessPlacedOrder } from "./assess-checkout"
import type FraudModuleService from "../../modules/fraud/service"
import type { CheckoutCart } from "../../modules/fraud/signals/build"

const ORDER_AS_CHECKOUT = [
  "id",
  "email",
  "total",
  "currency_code",
  "metadata",
  "customer_id",
  "customer.id",
  "customer.created_at",
  "customer.has_account",
  "items.quantity",
  "shipping_address.*",
  "billing_address.country_code",
  "promotions.id",
]

/**
 * Screens an order placed without a checkout (a draft order converted by an admin) like a checkout; a hold
 * decision holds the order at once. Returns the hold id, if any.
 */
export async function screenPlacedOrder(container: MedusaContainer, orderId: string): Promise<string | null> {
  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  if (await fraud.latestAssessmentForOrder(orderId)) return null // already screened (a redelivered event)
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ORDER_AS_CHECKOUT, filters: { id: orderId } })
  const order = data[0] as CheckoutCart | undefined
  if (!order) return null
  await assessPlacedOrder(container, order)
  return (await fraud.linkOrder(order.id, order.id)).hold_id
}
