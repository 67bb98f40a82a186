import { asValue } from "@medusajs/framework/awilix"
import type { AuthenticatedMedusaRequest, MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { SHOPPER_REGISTRATION, ShopperContext } from "../../lib/shopper-context"
import { storeCartRequests } from "../../workflows/store-cart-requests"

// A request whose handler never answers still leaves the in-flight cart requests after this long.
const UNANSWERED_REQUEST_MS = 10 * 60_000
const REQUEST_SHOPPER = Symbol("medusa-uplift shopper")

/**
 * Puts the authenticated customer of a cart request (Medusa's store auth ran before this, allowing guests)
 * in scope for the cart workflows' hooks: personal offers and fraud screening key on it, never on the
 * email a shopper typed into the cart.
 */
export function bindShopperContext(req: AuthenticatedMedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  requestShopper(req, res)
  next()
}

/**
 * The shopper of this cart request, bound on first call: registered in the request's scope (workflows run
 * with it, cart creation among them) and, for a request on a cart, among that cart's requests in flight
 * until the handler answers. Not until the connection closes: a client that hangs up mid-checkout must not
 * leave the checkout's hooks without its shopper.
 */
export function requestShopper(req: MedusaRequest, res: MedusaResponse): ShopperContext {
  const bound = (req as unknown as Record<symbol, ShopperContext | undefined>)[REQUEST_SHOPPER]
  if (bound) return bound
  const shopper: ShopperContext = { customerId: authenticatedCustomerId(req) }
  ;(req as unknown as Record<symbol, ShopperContext>)[REQUEST_SHOPPER] = shopper
  req.scope.register(SHOPPER_REGISTRATION, asValue(shopper))
  const cartId = req.params?.id
  if (typeof cartId === "string") untilAnswered(res, storeCartRequests(req.scope).enter(cartId, shopper))
  return shopper
}

function untilAnswered(res: MedusaResponse, leave: () => void) {
  const end = res.end
  res.end = function (this: MedusaResponse, ...args: unknown[]) {
    leave()
    return (end as (...a: unknown[]) => MedusaResponse).apply(this, args)
  } as typeof res.end
  res.once("close", () => {
    if (!res.writableEnded) setTimeout(leave, UNANSWERED_REQUEST_MS).unref()
  })
}

/** The logged-in customer of a store request (Medusa's store auth ran before plugin middlewares), or null. */
export function authenticatedCustomerId(req: MedusaRequest): string | null {
  const auth = (req as Partial<AuthenticatedMedusaRequest>).auth_context
  return (auth?.actor_type === "customer" && auth.actor_id) || null
}

const CART_WRITES: MiddlewareRoute["methods"] = ["POST", "DELETE"]

export const shopperContextMiddlewares: MiddlewareRoute[] = ["/store/carts", "/store/carts/:id", "/store/carts/:id/*"].map((matcher) => ({
  matcher,
  methods: CART_WRITES,
  middlewares: [bindShopperContext as any],
}))
