import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { forgetAllRecommendations } from "../../../recommendations/recommend"

export const forgetRecommendationsStepId = "uplift-forget-recommendations"

/**
 * Drops this process's product cards and lists (they refill from the catalog in the background). No
 * compensation: a dropped cache holds nothing to restore, the next request reads the catalog again.
 */
export const forgetRecommendationsStep = createStep(forgetRecommendationsStepId, async (_input: undefined, { container }) => {
  forgetAllRecommendations(container)
  return new StepResponse(undefined)
})
