import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { FRAUD_MODULE } from "../../modules/fraud"
import type FraudModuleService from "../../modules/fraud/service"

/**
 * Links open holds still keyed only by cart to the orders their carts became. order.placed does this
 * normally; this repairs holds whose order.placed handling failed or has not run yet (the newest 500; holds of
 * checkouts that never became orders stay pending). Returns how many it linked.
 */
export async function linkHeldOrders(container: MedusaContainer, holdIds?: string[]): Promise<number> {
  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  const pending = await fraud.listFraudHolds({ status: "open", order_id: null, ...(holdIds ? { id: holdIds } : {}) }, { select: ["id", "cart_id"], take: 500, order: { created_at: "DESC" } })
  if (pending.length === 0) return 0
  const { data } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "order_cart", fields: ["order_id", "cart_id"], filters: { cart_id: pending.map((h) => h.cart_id) } })
  let linked = 0
  for (const { cart_id, order_id } of data as { cart_id: string; order_id: string }[]) {
    if ((await fraud.linkOrder(cart_id, order_id)).hold_id) linked++
  }
  return linked
}
