import type { AuthenticatedMedusaRequest, MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { runAsShopper } from "../../lib/shopper-context"

/**
 * Puts the authenticated customer of a cart request (Medusa's store auth ran before this, allowing guests)
 * in scope for the cart workflows' hooks: personal offers and fraud screening key on it, never on the
 * email a shopper typed into the cart.
 */
export function bindShopperContext(req: AuthenticatedMedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  runAsShopper(authenticatedCustomerId(req), () => next())
}

/** The logged-in customer of a store request (Medusa's store auth ran before plugin middlewares), or null. */
export function authenticatedCustomerId(req: MedusaRequest): string | null {
  const auth = (req as Partial<AuthenticatedMedusaRequest>).auth_context
  return (auth?.actor_type === "customer" && auth.actor_id) || null
}

export const shopperContextMiddlewares: MiddlewareRoute[] = [{ matcher: "/store/carts*", middlewares: [bindShopperContext as any] }]
