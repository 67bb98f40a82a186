import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { riskReason } from "../decision/risk-reason"

export const riskReasonStepId = "uplift-decision-risk-reason"

/** Why fraud or abuse signals make the shopper ineligible (null when nothing does). Reads only: no compensation. */
export const riskReasonStep = createStep(riskReasonStepId, async ({ customer_id }: { customer_id: string }, { container }) => {
  return new StepResponse({ reason: await riskReason(container, customer_id) })
})
