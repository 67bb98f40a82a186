import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { FRAUD_MODULE } from "../../../modules/fraud"
import type FraudModuleService from "../../../modules/fraud/service"

export const recordHoldEventStepId = "uplift-fraud-record-hold-event"

export interface RecordHoldEventInput {
  hold_id: string
  order_id: string
  action: "capture_refunded"
  note: string | null
}

/** Adds an entry to the hold's audit trail; compensation removes it. */
export const recordHoldEventStep = createStep(
  recordHoldEventStepId,
  async (input: RecordHoldEventInput, { container }) => {
    const id = await container.resolve<FraudModuleService>(FRAUD_MODULE).recordHoldEvent(input.hold_id, input.order_id, input.action, input.note)
    return new StepResponse(id, id)
  },
  async (id, { container }) => {
    if (id) await container.resolve<FraudModuleService>(FRAUD_MODULE).deleteFraudHoldEvents(id)
  }
)
