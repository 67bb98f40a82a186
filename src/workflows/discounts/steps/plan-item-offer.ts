import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"
import { ItemOfferPlan, planItemOffer } from "../item-offers/plan-item-offer"
import type { DecisionState, DrawnDecision, EligiblePolicy } from "./decision-state"

export const planItemOfferStepId = "uplift-decision-plan-item-offer"

/**
 * An item policy's targets (src/workflows/discounts/item-offers): the decision narrowed to the items expected
 * to pay for the discount, or turned into "no offer" when none is. Writes nothing: no compensation.
 */
export const planItemOfferStep = createStep(
  planItemOfferStepId,
  async ({ state, eligible, drawn }: { state: DecisionState; eligible: EligiblePolicy; drawn: DrawnDecision }, { container }) => {
    const uplift = container.resolve<UpliftModuleService>(UPLIFT_MODULE)
    // planItemOffer narrows the decision it is given: a copy, so the fairness step's output stays as it was.
    const decision = structuredClone(drawn.decision)
    const cart = { ...state.cart, customer_id: state.customer_id }
    const model = await uplift.registry.activeResponseModel()
    const plan = await planItemOffer(container, eligible.policy as any, cart, state.basket, decision, drawn.features, model, uplift.options.defaultMarginPercent)
    return new StepResponse<DrawnDecision & { item_plan: ItemOfferPlan | null }>({ ...drawn, decision, item_plan: plan })
  }
)
