import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow, emitEventStep } from "@medusajs/medusa/core-flows"
import { linkHeldOrderStep } from "./steps/link-held-order"
import { recordFraudLabelStep } from "./steps/record-label"
import { transitionHoldStep } from "./steps/transition-hold"

/** Emitted after a hold is resolved, payload `{ id, order_id }` (e.g. to redeem a personal offer only once released). */
export const FRAUD_HOLD_EVENTS = { released: "uplift.fraud_hold.released", rejected: "uplift.fraud_hold.rejected" } as const

export interface ResolveHoldInput {
  hold_id: string
  actor_id: string | null
  note: string | null
}

/** Release: the hold closes (capture and fulfillment proceed) and the order becomes a "legit" label. */
export const releaseFraudHoldWorkflow = createWorkflow("uplift-fraud-release-hold", (input: ResolveHoldInput) => {
  linkHeldOrderStep({ hold_id: input.hold_id })
  const hold = transitionHoldStep(transform({ input }, ({ input }) => ({ ...input, to: "released" as const })))
  recordFraudLabelStep(
    transform({ hold, input }, ({ hold, input }) => ({ order_id: hold.order_id, label: "legit" as const, source: "hold_release" as const, actor_id: input.actor_id, note: input.note }))
  )
  emitEventStep({ eventName: FRAUD_HOLD_EVENTS.released, data: transform({ hold }, ({ hold }) => ({ id: hold.id, order_id: hold.order_id })) })
  return new WorkflowResponse(hold)
})

/** Reject: the hold closes, the order is canceled (voiding the uncaptured authorization) and labelled "fraud". */
export const rejectFraudHoldWorkflow = createWorkflow("uplift-fraud-reject-hold", (input: ResolveHoldInput) => {
  linkHeldOrderStep({ hold_id: input.hold_id })
  const hold = transitionHoldStep(transform({ input }, ({ input }) => ({ ...input, to: "rejected" as const })))
  cancelOrderWorkflow.runAsStep({
    input: transform({ hold, input }, ({ hold, input }) => ({ order_id: hold.order_id, canceled_by: input.actor_id ?? undefined })),
  })
  recordFraudLabelStep(
    transform({ hold, input }, ({ hold, input }) => ({ order_id: hold.order_id, label: "fraud" as const, source: "hold_reject" as const, actor_id: input.actor_id, note: input.note }))
  )
  emitEventStep({ eventName: FRAUD_HOLD_EVENTS.rejected, data: transform({ hold }, ({ hold }) => ({ id: hold.id, order_id: hold.order_id })) }).config({ name: "emit-hold-rejected" })
  return new WorkflowResponse(hold)
})

/** A label from outside the hold flow (chargeback, manual review). */
export const createFraudLabelWorkflow = createWorkflow(
  "uplift-fraud-create-label",
  (input: { order_id: string; label: "fraud" | "legit"; source: "chargeback" | "manual" | "hold_release" | "hold_reject"; actor_id: string | null; note: string | null }) => {
    return new WorkflowResponse(recordFraudLabelStep(input))
  }
)
