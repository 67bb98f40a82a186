import type { MedusaRequest } from "@medusajs/framework/http"
import type { ICartModuleService, ICustomerModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { authenticatedCustomerId } from "./shopper-context"

/**
 * Whether the request acts for the session's own cart. A logged-in customer: only a cart of that
 * customer. No login: only a cart without a registered customer (a guest cart, whose id is its only key),
 * since core-flows links a cart to the registered customer with the email typed into it. One read of the
 * cart's customer id (the checkout path), and of the customer only for a request without a login.
 */
export async function isSessionsOwnCart(req: MedusaRequest, cartId: string): Promise<boolean> {
  const [cart] = await req.scope.resolve<ICartModuleService>(Modules.CART).listCarts({ id: cartId }, { select: ["id", "customer_id"], take: 1 })
  if (!cart) return false
  const customerId = authenticatedCustomerId(req)
  if (customerId) return cart.customer_id === customerId
  if (!cart.customer_id) return true
  const [customer] = await req.scope.resolve<ICustomerModuleService>(Modules.CUSTOMER).listCustomers({ id: cart.customer_id }, { select: ["id", "has_account"], take: 1 })
  return !customer?.has_account
}
