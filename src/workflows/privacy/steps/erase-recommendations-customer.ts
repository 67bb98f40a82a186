import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { RECOMMENDATIONS_MODULE } from "../../../modules/recommendations"
import type RecommendationsModuleService from "../../../modules/recommendations/service"
import type { EraseCustomerStepInput } from "./erase-uplift-customer"

export const eraseRecommendationsCustomerStepId = "uplift-erase-customer-item-targets"

/** Deletes the customer's item-offer targets. No compensation: erasure is not undone. */
export const eraseRecommendationsCustomerStep = createStep(
  eraseRecommendationsCustomerStepId,
  async (input: EraseCustomerStepInput, { container }) => {
    await container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE).eraseCustomer(input.customer_id)
    return new StepResponse(undefined)
  }
)
