import type { MedusaRequest } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { authenticatedCustomerId } from "./shopper-context"

/**
 * Whether the request acts for the session's own cart. A logged-in customer: only a cart of that
 * customer. No login: only a cart without a registered customer (a guest cart, whose id is its only key),
 * since core-flows links a cart to the registered customer with the email typed into it.
 */
export async function isSessionsOwnCart(req: MedusaRequest, cartId: string): Promise<boolean> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id", "customer_id", "customer.has_account"],
    filters: { id: cartId },
  })
  const cart = data[0] as { customer_id?: string | null; customer?: { has_account?: boolean | null } | null } | undefined
  if (!cart) return false
  const customerId = authenticatedCustomerId(req)
  if (customerId) return cart.customer_id === customerId
  return !cart.customer?.has_account
}
