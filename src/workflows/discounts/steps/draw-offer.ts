import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"
import { drawOffer } from "../decision/draw-offer"
import { shopperFeatures } from "../decision/shopper-features"
import type { DecisionState, EligiblePolicy } from "./decision-state"

export const drawOfferStepId = "uplift-decision-draw-offer"

/**
 * The shopper's offer features and the policy's draw (holdout, exploration or the active response model's
 * best level). Writes nothing: no compensation.
 */
export const drawOfferStep = createStep(drawOfferStepId, async ({ state, eligible }: { state: DecisionState; eligible: EligiblePolicy }, { container }) => {
  const uplift = container.resolve<UpliftModuleService>(UPLIFT_MODULE)
  const [model, shopper] = await Promise.all([
    uplift.registry.activeResponseModel(),
    shopperFeatures(container, state.cart, state.customer_id, state.history, state.basket, uplift.options.offerAttributes, state.at),
  ])
  return new StepResponse(drawOffer(eligible.policy, state.customer_id, state.basket, shopper, model))
})
