import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type FraudModuleService from "../../../modules/fraud/service"
import type { HoldTransition } from "../../../modules/fraud/service"

export const transitionHoldStepId = "uplift-fraud-transition-hold"

export interface TransitionHoldInput {
  hold_id: string
  to: HoldTransition
  actor_id: string | null
  note: string | null
}

/** Moves an open hold to released/rejected atomically (409 when another reviewer got there first); compensation reopens it. */
export const transitionHoldStep = createStep(
  transitionHoldStepId,
  async (input: TransitionHoldInput, { container }) => {
    const hold = await container.resolve<FraudModuleService>("upliftFraud").transitionHold(input.hold_id, input.to, input.actor_id, input.note)
    return new StepResponse(hold as { id: string; order_id: string; assessment_id: string | null; status: string }, { hold_id: input.hold_id, to: input.to, actor_id: input.actor_id })
  },
  async (undo, { container }) => {
    if (undo) await container.resolve<FraudModuleService>("upliftFraud").reopenHold(undo.hold_id, undo.to, undo.actor_id)
  }
)
