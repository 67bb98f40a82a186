import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { forgetRecommendationsStep } from "./steps/forget-recommendations"

export const catalogChangedWorkflowId = "uplift-catalog-changed"

/**
 * The catalog or stock changed: this process's product cards go at once (other processes refresh theirs
 * within ProductCatalog's freshness window).
 */
export const catalogChangedWorkflow = createWorkflow(catalogChangedWorkflowId, () => {
  forgetRecommendationsStep()
  return new WorkflowResponse(undefined)
})
