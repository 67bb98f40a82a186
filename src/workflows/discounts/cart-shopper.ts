import type { MedusaContainer } from "@medusajs/framework/types"
import { isAuthenticatedShopper } from "../store-cart-requests"
import { DISCOUNTS_MODULE } from "../../modules/discounts"
import type DiscountsModuleService from "../../modules/discounts/service"

export type CartWithCustomer = { id?: string | null; customer_id?: string | null; customer?: { id?: string | null } | null }

/**
 * The customer a personal offer may serve on this cart: its customer when a store request authenticated as
 * that customer is making the change (remembered for jobs and subscribers), or when one did before. A guest
 * cart that Medusa linked to a customer through a typed email gets null: the email is not a login.
 */
export async function authenticatedCartCustomer(container: MedusaContainer, cart: CartWithCustomer): Promise<string | null> {
  const customerId = cart?.customer_id ?? cart?.customer?.id ?? null
  if (!customerId || !cart.id) return null
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const inRequest = isAuthenticatedShopper(container, cart.id, customerId)
  if (inRequest === false) return null
  if (inRequest) {
    await discounts.rememberShopperCart(cart.id, customerId)
    return customerId
  }
  return (await discounts.isShopperCart(cart.id, customerId)) ? customerId : null
}
