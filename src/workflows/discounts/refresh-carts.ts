import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, PromotionActions } from "@medusajs/framework/utils"
import { updateCartPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { offerCodesOf } from "./offer-codes"

const CUSTOMERS_PER_QUERY = 500

/**
 * Re-evaluates promotions on open carts and brings their payment collections to the new total (a stale
 * payment session would otherwise authorize the discounted amount); completed or deleted carts are
 * skipped. Returns how many were refreshed.
 */
export async function refreshCarts(container: MedusaContainer, cartIds: (string | null | undefined)[]): Promise<number> {
  let refreshed = 0
  for (const cartId of new Set(cartIds.filter(Boolean) as string[])) {
    try {
      await recomputeCartPromotions(container, cartId)
      refreshed++
    } catch {
      // a completed cart cannot change any more: nothing to take off
    }
  }
  return refreshed
}

/**
 * Re-evaluates one cart's promotions (the personal offer's context included). `insideWorkflow`: a key naming
 * the caller when it runs inside a cart workflow that holds the cart's lock, so that the nested run skips the
 * lock as Medusa's own nested runs do; `refreshPayment`: false when the caller refreshes the payment
 * collection itself. Throws what the workflow throws.
 */
export async function recomputeCartPromotions(
  container: MedusaContainer,
  cartId: string,
  { refreshPayment = true, insideWorkflow }: { refreshPayment?: boolean; insideWorkflow?: string } = {}
): Promise<void> {
  await updateCartPromotionsWorkflow(container).run({
    input: { cart_id: cartId, promo_codes: [], action: PromotionActions.ADD, force_refresh_payment_collection: refreshPayment },
    ...(insideWorkflow ? { context: { parentStepIdempotencyKey: insideWorkflow } } : {}),
  })
}

/** Open (not completed) carts of these customers that carry a personal-offer promotion, whichever cart it was issued on. */
export async function openOfferCartIds(container: MedusaContainer, customerIds: (string | null | undefined)[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const customers = [...new Set(customerIds.filter(Boolean) as string[])]
  const { isOfferCode } = offerCodesOf(container)
  const cartIds: string[] = []
  for (let start = 0; start < customers.length; start += CUSTOMERS_PER_QUERY) {
    const { data: carts } = await query.graph({
      entity: "cart",
      fields: ["id", "promotions.code"],
      filters: { customer_id: customers.slice(start, start + CUSTOMERS_PER_QUERY), completed_at: null } as any,
    })
    for (const cart of carts as any[]) {
      if ((cart.promotions ?? []).some((promotion: any) => isOfferCode(promotion?.code))) cartIds.push(cart.id)
    }
  }
  return cartIds
}

/** Takes revoked, expired or used offers off every open cart of their customers. */
export async function refreshOfferCarts(container: MedusaContainer, customerIds: (string | null | undefined)[]): Promise<number> {
  return refreshCarts(container, await openOfferCartIds(container, customerIds))
}
