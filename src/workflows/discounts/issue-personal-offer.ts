import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateCartPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { PromotionActions } from "@medusajs/framework/utils"
import { decidePersonalOfferStep, DecidePersonalOfferInput } from "./steps/decide-personal-offer"

export const issuePersonalOfferWorkflowId = "uplift-issue-personal-offer"

/** Decide for a customer's cart; when an offer is issued, re-evaluate the cart's promotions at once. */
export const issuePersonalOfferWorkflow = createWorkflow(issuePersonalOfferWorkflowId, (input: DecidePersonalOfferInput) => {
  const result = decidePersonalOfferStep(input)
  when({ result }, ({ result }) => Boolean(result.offer_id)).then(() => {
    const refreshInput = transform({ input }, ({ input }) => ({
      cart_id: input.cart_id,
      promo_codes: [] as string[],
      action: PromotionActions.ADD as any,
    }))
    updateCartPromotionsWorkflow.runAsStep({ input: refreshInput })
  })
  return new WorkflowResponse(result)
})
