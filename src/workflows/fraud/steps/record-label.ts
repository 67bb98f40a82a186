import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type FraudModuleService from "../../../modules/fraud/service"

export const recordFraudLabelStepId = "uplift-fraud-record-label"

export interface RecordFraudLabelInput {
  order_id: string
  label: "fraud" | "legit"
  source: "chargeback" | "manual" | "hold_release" | "hold_reject"
  actor_id: string | null
  note?: string | null
}

/** Stores a training label with the order's customer and assessed features; compensation deletes it. */
export const recordFraudLabelStep = createStep(
  recordFraudLabelStepId,
  async (input: RecordFraudLabelInput, { container }) => {
    const fraud = container.resolve<FraudModuleService>("upliftFraud")
    const assessment = await fraud.latestAssessmentForOrder(input.order_id)
    const label = await fraud.createFraudLabels({
      order_id: input.order_id,
      label: input.label,
      source: input.source,
      actor_id: input.actor_id,
      note: input.note ?? null,
      customer_id: assessment?.customer_id ?? null,
      assessment_id: assessment?.id ?? null,
      features: assessment?.features ?? null,
    })
    return new StepResponse(label, label.id)
  },
  async (id, { container }) => {
    if (id) await container.resolve<FraudModuleService>("upliftFraud").deleteFraudLabels(id)
  }
)
