import type { MedusaErrorHandlerFunction } from "@medusajs/framework/http"
import { FRAUD_HOLD_OPEN } from "../../../workflows/fraud/hold-guard"
import { FRAUD_HOLD_UNRESOLVABLE } from "../../../modules/fraud/service"

const CONFLICTS_WITH_OWN_MESSAGE = new Set<unknown>([FRAUD_HOLD_OPEN, FRAUD_HOLD_UNRESOLVABLE])

/**
 * Medusa's error handler answers every CONFLICT with a generic "retry with an Idempotency-Key" message. A
 * held order refused inside a workflow hook keeps its own message (order number and hold reason) instead, and
 * so does a release or reject of a hold that was already resolved.
 */
export function fraudHoldAwareErrorHandler(next: MedusaErrorHandlerFunction): MedusaErrorHandlerFunction {
  return (error, req, res, nextFn) => {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
    if (CONFLICTS_WITH_OWN_MESSAGE.has(code) && !res.headersSent) {
      res.status(409).json({ type: "conflict", code, message })
      return
    }
    return next(error, req, res, nextFn)
  }
}
