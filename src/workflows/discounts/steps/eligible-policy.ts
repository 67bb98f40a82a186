import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { eligiblePolicy } from "../decision/eligible-policy"
import { shopperHistory } from "../decision/shopper-features"
import { decisionContextOf, DecisionState, EligiblePolicy } from "./decision-state"

export const eligiblePolicyStepId = "uplift-decision-eligible-policy"

/** The first undecided policy whose round the shopper is in, or null (src/workflows/discounts/decision). Pure: no compensation. */
export const eligiblePolicyStep = createStep(eligiblePolicyStepId, async (state: DecisionState | null, { container }) => {
  const eligible = state ? eligiblePolicy(decisionContextOf(container, state), shopperHistory(state.history), new Date(state.at)) : null
  return new StepResponse<EligiblePolicy | null>(eligible ? { policy: eligible.policy, round: eligible.round } : null)
})
