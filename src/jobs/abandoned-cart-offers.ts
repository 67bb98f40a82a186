import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { issuePersonalOfferWorkflow } from "../workflows/discounts/issue-personal-offer"

const LOOKBACK_DAYS = 7

/**
 * Carts of logged-in customers left alone longer than a policy's `abandoned_after_hours` (and not older than a
 * week) get an abandoned-cart decision; the offer waits on the cart for the shopper's return.
 */
export default async function abandonedCartOffers(container: MedusaContainer): Promise<number> {
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const policies = await discounts.listDiscountPolicies({ status: ["active", "shadow"] })
  const hours = policies
    .filter((policy) => ((policy.rounds as unknown) as string[]).includes("abandoned_cart") && policy.abandoned_after_hours)
    .map((policy) => policy.abandoned_after_hours as number)
  if (!hours.length) {
    return 0
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: carts } = await query.graph({
    entity: "cart",
    fields: ["id", "customer_id"],
    filters: {
      completed_at: null,
      updated_at: { $lt: new Date(Date.now() - Math.min(...hours) * 3600_000), $gt: new Date(Date.now() - LOOKBACK_DAYS * 86_400_000) },
    } as any,
    pagination: { take: 1_000 },
  })
  let decided = 0
  for (const cart of carts.filter((cart: any) => cart.customer_id)) {
    if (!(await discounts.isShopperCart(cart.id, cart.customer_id))) continue // a guest cart linked by a typed email
    try {
      await issuePersonalOfferWorkflow(container).run({ input: { cart_id: cart.id, trigger: "abandoned_cart" } })
      decided++
    } catch (error) {
      container.resolve("logger").warn(`medusa-uplift: abandoned-cart decision failed for ${cart.id}: ${(error as Error).message}`)
    }
  }
  return decided
}

export const config = { name: "medusa-uplift-abandoned-cart-offers", schedule: "*/15 * * * *" }
