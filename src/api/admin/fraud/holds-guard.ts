import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { FRAUD_HOLD_OPEN, holdMessage, linkedOrderId, openHoldOfOrder } from "../../../workflows/fraud/hold-guard"

/**
 * The URL layer of hold enforcement: a friendly 409 (with hold_id) before Medusa's handler runs. The guarantee
 * does not depend on it: the plugin's workflow hooks and payment subscribers enforce holds on every path.
 */

type OrderOf = (req: MedusaRequest) => Promise<string | null>

async function orderOfPayment(container: MedusaContainer, paymentId: string): Promise<string | null> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "payment", fields: ["payment_collection_id"], filters: { id: paymentId } })
  const collectionId = (data[0] as { payment_collection_id?: string } | undefined)?.payment_collection_id
  return collectionId ? linkedOrderId(container, "order_payment_collection", { payment_collection_id: collectionId }) : null
}

const byParam: OrderOf = async (req) => req.params.id
const byBody: OrderOf = async (req) => ((req.body ?? {}) as { order_id?: unknown }).order_id?.toString() ?? null
const byPayment: OrderOf = (req) => orderOfPayment(req.scope, req.params.id)
const byCollection: OrderOf = (req) => linkedOrderId(req.scope, "order_payment_collection", { payment_collection_id: req.params.id })
const byFulfillment: OrderOf = (req) => linkedOrderId(req.scope, "order_fulfillment", { fulfillment_id: req.params.id })
const byClaim: OrderOf = (req) => linkedOrderId(req.scope, "order_claim", { id: req.params.id })
const byExchange: OrderOf = (req) => linkedOrderId(req.scope, "order_exchange", { id: req.params.id })

function refuseWhileHeld(orderOf: OrderOf, action: string) {
  return async function holdGuard(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
    try {
      const held = await openHoldOfOrder(req.scope, await orderOf(req))
      if (!held) return next()
      res.status(409).json({ type: "conflict", code: FRAUD_HOLD_OPEN, message: holdMessage(held, action), hold_id: held.hold.id })
    } catch (e) {
      next(e)
    }
  }
}

/** Admin routes that move goods or money for an order: each answers 409 while the order is held. */
export const HOLD_GUARDED_ROUTES: { matcher: string; orderOf: OrderOf; action: string }[] = [
  { matcher: "/admin/payments/:id/capture", orderOf: byPayment, action: "capturing payment" },
  { matcher: "/admin/payment-collections/:id/mark-as-paid", orderOf: byCollection, action: "marking it as paid" },
  { matcher: "/admin/orders/:id/fulfillments", orderOf: byParam, action: "fulfilling it" },
  { matcher: "/admin/orders/:id/fulfillments/:fulfillment_id/shipments", orderOf: byParam, action: "shipping it" },
  { matcher: "/admin/orders/:id/fulfillments/:fulfillment_id/mark-as-delivered", orderOf: byParam, action: "marking it as delivered" },
  { matcher: "/admin/orders/:id/complete", orderOf: byParam, action: "completing it" },
  { matcher: "/admin/fulfillments", orderOf: byBody, action: "fulfilling it" },
  { matcher: "/admin/fulfillments/:id/shipment", orderOf: byFulfillment, action: "shipping it" },
  { matcher: "/admin/claims/:id/request", orderOf: byClaim, action: "confirming a claim" },
  { matcher: "/admin/exchanges/:id/request", orderOf: byExchange, action: "confirming an exchange" },
]

export const holdGuardMiddlewares = HOLD_GUARDED_ROUTES.map(({ matcher, orderOf, action }) => ({
  matcher,
  methods: ["POST"] as ["POST"],
  middlewares: [refuseWhileHeld(orderOf, action)],
}))
