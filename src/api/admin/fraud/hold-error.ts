import type { MedusaErrorHandlerFunction } from "@medusajs/framework/http"
import { FRAUD_HOLD_OPEN } from "../../../workflows/fraud/hold-guard"

/**
 * Medusa's error handler answers every CONFLICT with a generic "retry with an Idempotency-Key" message. A
 * held order refused inside a workflow hook keeps its own message (order number and hold reason) instead.
 */
export function fraudHoldAwareErrorHandler(next: MedusaErrorHandlerFunction): MedusaErrorHandlerFunction {
  return (error, req, res, nextFn) => {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
    if (code === FRAUD_HOLD_OPEN && !res.headersSent) {
      res.status(409).json({ type: "conflict", code: FRAUD_HOLD_OPEN, message })
      return
    }
    return next(error, req, res, nextFn)
  }
}
