import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"

export const settleHeldOfferStepId = "uplift-held-offer-settle"

export interface SettleHeldOfferInput {
  order_id: string
  outcome: "released" | "rejected"
}

/** The held order's personal offer is redeemed (hold released) or given back (rejected). No compensation: the only step, recording the review's outcome. */
export const settleHeldOfferStep = createStep(settleHeldOfferStepId, async (input: SettleHeldOfferInput, { container }) => {
  return new StepResponse(await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).settleHeldOffer(input.order_id, input.outcome))
})
