import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import type FraudModuleService from "../../../modules/fraud/service"

async function cartOfOrder(container: MedusaContainer, orderId: string): Promise<string | null> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order_cart", fields: ["cart_id"], filters: { order_id: orderId } })
  return (data[0] as { cart_id?: string } | undefined)?.cart_id ?? null
}

async function orderOfPayment(container: MedusaContainer, paymentId: string): Promise<string | null> {
  const payments = await container.resolve(Modules.PAYMENT).listPayments({ id: paymentId }, { select: ["id", "payment_collection_id"] })
  const collectionId = payments[0]?.payment_collection_id
  if (!collectionId) return null
  const { data } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "order_payment_collection", fields: ["order_id"], filters: { payment_collection_id: collectionId } })
  return (data[0] as { order_id?: string } | undefined)?.order_id ?? null
}

function conflict(res: MedusaResponse, orderId: string, hold: { id: string; reason: string }, what: string) {
  res.status(409).json({
    type: "conflict",
    code: "fraud_hold_open",
    message: `Order ${orderId} is under fraud hold ${hold.id} (${hold.reason}); release the hold before ${what}.`,
    hold_id: hold.id,
  })
}

async function guard(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction, orderId: string | null, what: string) {
  if (!orderId) return next()
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  const hold = await fraud.openHold(orderId, await cartOfOrder(req.scope, orderId))
  if (hold) return conflict(res, orderId, hold, what)
  next()
}

/** POST /admin/payments/:id/capture answers 409 while the payment's order is held. */
export async function blockCaptureWhileHeld(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  try {
    await guard(req, res, next, await orderOfPayment(req.scope, req.params.id), "capturing payment")
  } catch (e) {
    next(e)
  }
}

/** POST /admin/orders/:id/fulfillments answers 409 while the order is held. */
export async function blockFulfillmentWhileHeld(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  try {
    await guard(req, res, next, req.params.id, "fulfilling it")
  } catch (e) {
    next(e)
  }
}
