import type { MedusaContainer } from "@medusajs/framework/types"
import { PromotionActions } from "@medusajs/framework/utils"
import { updateCartPromotionsWorkflow } from "@medusajs/medusa/core-flows"

/** Re-evaluates promotions on open carts; completed or deleted carts are skipped. Returns how many were refreshed. */
export async function refreshCarts(container: MedusaContainer, cartIds: (string | null | undefined)[]): Promise<number> {
  let refreshed = 0
  for (const cartId of new Set(cartIds.filter(Boolean) as string[])) {
    try {
      await updateCartPromotionsWorkflow(container).run({ input: { cart_id: cartId, promo_codes: [], action: PromotionActions.ADD } })
      refreshed++
    } catch {
      // a completed cart cannot change any more: nothing to take off
    }
  }
  return refreshed
}
