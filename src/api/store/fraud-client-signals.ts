import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import type FraudModuleService from "../../modules/fraud/service"
import { cleanDeviceId } from "../../modules/fraud/signals/identity"
import { signupSourceOf } from "../../modules/fraud/model/features"
import { hashIdentifier } from "../../lib/hashing"
import type { ClientSignals } from "../../lib/shopper-context"
import { isSessionsOwnCart } from "./session-cart"
import { requestShopper } from "./shopper-context"

/**
 * Captures the checkout's client signals (client IP and the `x-device-id` header) hashed, keyed by cart:
 * only for the session's own cart and within the rate limit, so nobody can plant a device or IP on someone
 * else's cart. The capture runs while completeCartWorkflow locks and loads the cart; the screening awaits
 * it (handed over through the request's context), so the decision and the stored row see the same signals.
 * A failure here never stops a checkout.
 */
export function captureFraudClientSignals(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  try {
    const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
    const cartId = req.params.id
    if (fraud.enabled && typeof cartId === "string" && cartId.length <= 128) {
      const started = process.hrtime.bigint()
      const capture = captureOwnCartSignals(req, fraud, cartId).catch((e) => {
        warnNotCaptured(req, e)
        return null
      })
      requestShopper(req, res).clientSignals = capture
      fraud.shareClientSignals(cartId, capture)
      fraud.timePhase("client_signals_middleware", started)
    }
  } catch (e) {
    warnNotCaptured(req, e)
  }
  next()
}

function warnNotCaptured(req: MedusaRequest, e: unknown) {
  req.scope.resolve("logger")?.warn?.(`medusa-uplift: fraud client signals not captured: ${(e as Error).message}`)
}

/** The signals as stored for the cart, or null when none were taken (not the session's cart, over the limit). */
async function captureOwnCartSignals(req: MedusaRequest, fraud: FraudModuleService, cartId: string): Promise<ClientSignals | null> {
  const started = process.hrtime.bigint()
  const hash = (value: string) => hashIdentifier(value, fraud.options.hashSalt)
  const ip = fraud.clientSignals.ip(req)
  const ipHash = ip ? hash(ip) : null
  const header = req.headers["x-device-id"]
  const device = cleanDeviceId(Array.isArray(header) ? header[0] : header)
  const taken = (await fraud.clientSignals.allows(ipHash, cartId)) && (await isSessionsOwnCart(req, cartId))
  const signals = taken ? await fraud.captureClientSignal(cartId, ipHash, device ? hash(device) : null) : null
  fraud.timePhase("client_signals_capture", started)
  return signals
}

/**
 * Records a registration's hashed client IP, `x-device-id` header and `x-acquisition-source` header (the
 * channel the shopper arrived by, as the storefront read the landing page's referrer and UTM tags: `seo` from
 * a search engine, `ads` from an ad or campaign, `direct` with neither) once Medusa has created the customer
 * (POST /store/customers answers 200 with it), before the answer is sent: the fraud model counts accounts
 * registered on a checkout's device. Not rate limited like cart signals: each row costs a new account, which
 * is the very signal. A failure here never stops a registration.
 */
export function captureFraudSignupSignals(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const send = res.json.bind(res)
  res.json = ((body: { customer?: { id?: unknown; created_at?: unknown } }) => {
    const customerId = body?.customer?.id
    if (res.statusCode !== 200 || typeof customerId !== "string") return send(body)
    recordSignup(req, customerId, body.customer?.created_at)
      .catch((e) => req.scope.resolve("logger")?.warn?.(`medusa-uplift: fraud sign-up signals not captured: ${(e as Error).message}`))
      .finally(() => send(body))
    return res
  }) as typeof res.json
  next()
}

async function recordSignup(req: MedusaRequest, customerId: string, createdAt: unknown): Promise<void> {
  const fraud = req.scope.resolve<FraudModuleService>("upliftFraud")
  if (!fraud.enabled) return
  const hash = (value: string) => hashIdentifier(value, fraud.options.hashSalt)
  const ip = fraud.clientSignals.ip(req)
  const header = req.headers["x-device-id"]
  const device = cleanDeviceId(Array.isArray(header) ? header[0] : header)
  const at = typeof createdAt === "string" || createdAt instanceof Date ? new Date(createdAt) : new Date()
  const source = signupSourceOf(req.headers["x-acquisition-source"])
  await fraud.captureSignupSignal(customerId, ip ? hash(ip) : null, device ? hash(device) : null, Number.isNaN(at.getTime()) ? new Date() : at, source)
}

export const fraudStoreMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store/carts/:id/complete", methods: ["POST"], middlewares: [captureFraudClientSignals] },
  { matcher: "/store/customers", methods: ["POST"], middlewares: [captureFraudSignupSignals] },
]
