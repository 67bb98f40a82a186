import type { AuthenticatedMedusaRequest, MedusaNextFunction, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { runAsShopper } from "../../lib/shopper-context"

/**
 * Puts the authenticated customer of a cart request (Medusa's store auth ran before this, allowing guests)
 * in scope for the cart workflows' hooks: personal offers and fraud screening key on it, never on the
 * email a shopper typed into the cart.
 */
export function bindShopperContext(req: AuthenticatedMedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const actor = req.auth_context?.actor_type === "customer" ? req.auth_context.actor_id : null
  runAsShopper(actor || null, () => next())
}

export const shopperContextMiddlewares: MiddlewareRoute[] = [{ matcher: "/store/carts*", middlewares: [bindShopperContext as any] }]
