import type { AuthenticatedMedusaRequest } from "@medusajs/framework/http"

export function actorId(req: AuthenticatedMedusaRequest): string | null {
  return req.auth_context?.actor_id ?? null
}

/** Assessments as the admin sees them: hashes of personal identifiers are not echoed back. */
export function assessmentToApi(a: Record<string, any>) {
  return {
    id: a.id,
    cart_id: a.cart_id,
    order_id: a.order_id,
    customer_id: a.customer_id,
    decision: a.decision,
    reason: a.reason,
    rule_id: a.rule_id,
    score: a.score,
    probability: a.probability,
    model_version: a.model_version,
    model_engine: a.model_engine,
    model_error: a.model_error,
    amount: a.amount,
    currency_code: a.currency_code,
    promotion_ids: a.promotion_ids,
    facts: a.facts,
    signals: redactSignals(a.signals ?? {}),
    /** The fraud model's input row, by feature name (counts, times and amounts only: no identifiers). */
    features: a.features ?? null,
    has_ip: Boolean(a.ip_hash),
    has_device_id: Boolean(a.device_hash),
    created_at: a.created_at,
  }
}

function redactSignals(signals: Record<string, unknown>) {
  const { email: _e, ip: _i, device_id: _d, ...rest } = signals
  return rest
}
