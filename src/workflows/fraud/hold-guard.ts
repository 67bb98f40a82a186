import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { FRAUD_MODULE } from "../../modules/fraud"
import type FraudModuleService from "../../modules/fraud/service"

export const FRAUD_HOLD_OPEN = "fraud_hold_open"

export interface OrderHold {
  hold: { id: string; reason: string }
  order_id: string
  /** "#12" (or the store's custom display id), as the admin shows the order. */
  order_label: string
}

/** The order linked to a row of one of Medusa's order link tables (order_fulfillment, order_payment_collection, ...). */
export function linkedOrderId(container: MedusaContainer, entity: string, filters: Record<string, unknown>): Promise<string | null> {
  return linkedId(container, entity, "order_id", filters)
}

/** The cart an order was placed from (the order_cart link); null for an order without a checkout (a converted draft order). */
export function cartOfOrder(container: MedusaContainer, orderId: string): Promise<string | null> {
  return linkedId(container, "order_cart", "cart_id", { order_id: orderId })
}

async function linkedId(container: MedusaContainer, entity: string, field: string, filters: Record<string, unknown>): Promise<string | null> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity, fields: [field], filters })
  return (data[0] as Record<string, string | undefined> | undefined)?.[field] ?? null
}

/** The open fraud hold on an order, also while order.placed has not linked it yet (looked up by the order's cart). */
export async function openHoldOfOrder(container: MedusaContainer, orderId: string | null | undefined): Promise<OrderHold | null> {
  if (!orderId) return null
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "display_id", "custom_display_id", "cart.id"],
    filters: { id: orderId },
  })
  const order = data[0] as { id: string; display_id?: number; custom_display_id?: string | null; cart?: { id: string } | null } | undefined
  if (!order) return null
  const hold = await container.resolve<FraudModuleService>(FRAUD_MODULE).openHold(order.id, order.cart?.id)
  if (!hold) return null
  return { hold, order_id: order.id, order_label: order.custom_display_id || `#${order.display_id}` }
}

/** What reviewers and API clients read: the order by its display number and the hold by its reason. */
export function holdMessage({ hold, order_label }: OrderHold, action: string): string {
  return `Order ${order_label} is on fraud hold (${hold.reason}); release the hold before ${action}.`
}

/**
 * Throws a CONFLICT MedusaError (HTTP 409, code fraud_hold_open) while the order is held. Call it from your own
 * handler of a hook the plugin registers (when you switch the plugin's registration off) or from your workflows.
 */
export async function assertOrderNotHeld(container: MedusaContainer, orderId: string | null | undefined, action: string): Promise<void> {
  const held = await openHoldOfOrder(container, orderId)
  if (held) throw new MedusaError(MedusaError.Types.CONFLICT, holdMessage(held, action), FRAUD_HOLD_OPEN)
}
