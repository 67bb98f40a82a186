import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import type FraudModuleService from "../../modules/fraud/service"
import { cleanDeviceId } from "../../modules/fraud/signals/identity"
import { hashIdentifier } from "../../lib/hashing"
import { isSessionsOwnCart } from "./session-cart"

/**
 * Captures the checkout's client signals (client IP and the `x-device-id` header) hashed, keyed by cart,
 * before completeCartWorkflow runs: only for the session's own cart and within the rate limit, so nobody
 * can plant a device or IP on someone else's cart. A failure here never stops a checkout.
 */
export async function captureFraudClientSignals(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
    const cartId = req.params.id
    const started = process.hrtime.bigint()
    if (fraud.enabled && typeof cartId === "string" && cartId.length <= 128) await captureOwnCartSignals(req, fraud, cartId)
    if (fraud.enabled) fraud.timePhase("client_signals_middleware", started)
  } catch (e) {
    req.scope.resolve("logger")?.warn?.(`medusa-uplift: fraud client signals not captured: ${(e as Error).message}`)
  }
  next()
}

async function captureOwnCartSignals(req: MedusaRequest, fraud: FraudModuleService, cartId: string): Promise<void> {
  const hash = (value: string) => hashIdentifier(value, fraud.options.hashSalt)
  const ip = fraud.clientSignals.ip(req)
  const ipHash = ip ? hash(ip) : null
  if (!(await fraud.clientSignals.allows(ipHash, cartId)) || !(await isSessionsOwnCart(req, cartId))) return
  const header = req.headers["x-device-id"]
  const device = cleanDeviceId(Array.isArray(header) ? header[0] : header)
  await fraud.captureClientSignal(cartId, ipHash, device ? hash(device) : null)
}

export const fraudStoreMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store/carts/:id/complete", methods: ["POST"], middlewares: [captureFraudClientSignals] },
]
