import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import type FraudModuleService from "../../modules/fraud/service"
import { cleanDeviceId, normalizeIp } from "../../modules/fraud/signals/identity"
import { hashIdentifier } from "../../modules/uplift/hashing"

/**
 * Captures the checkout's client signals (request IP and the `x-device-id` header) hashed, keyed by cart,
 * before completeCartWorkflow runs. A failure here never stops a checkout.
 */
export async function captureFraudClientSignals(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
    const cartId = req.params.id
    if (fraud.enabled && typeof cartId === "string" && cartId.length <= 128) {
      const ip = normalizeIp(req.ip ?? req.socket?.remoteAddress)
      const header = req.headers["x-device-id"]
      const device = cleanDeviceId(Array.isArray(header) ? header[0] : header)
      await fraud.captureClientSignal(cartId, ip ? hashIdentifier(ip) : null, device ? hashIdentifier(device) : null)
    }
  } catch (e) {
    req.scope.resolve("logger")?.warn?.(`medusa-uplift: fraud client signals not captured: ${(e as Error).message}`)
  }
  next()
}

export const fraudStoreMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store/carts/:id/complete", methods: ["POST"], middlewares: [captureFraudClientSignals] },
]
