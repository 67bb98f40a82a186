import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import type { Draw } from "../decision/draw-offer"
import { applyFairnessLimit } from "../decision/fairness-limit"
import type { DecisionState, DrawnDecision, EligiblePolicy } from "./decision-state"

export const fairnessLimitStepId = "uplift-decision-fairness-limit"

/** The policy's fairness cap: an offer to a group already ahead becomes "no offer", with the reason. Reads only: no compensation. */
export const fairnessLimitStep = createStep(
  fairnessLimitStepId,
  async ({ state, eligible, drawn }: { state: DecisionState; eligible: EligiblePolicy; drawn: Draw }, { container }) => {
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    const { decision, fairnessValue } = await applyFairnessLimit(discounts, eligible.policy, state.cart, drawn.decision)
    return new StepResponse<DrawnDecision>({ decision, features: drawn.features, fairness_value: fairnessValue })
  }
)
