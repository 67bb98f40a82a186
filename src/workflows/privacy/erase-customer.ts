import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { eraseDiscountsCustomerStep } from "./steps/erase-discounts-customer"
import { eraseFraudCustomerStep } from "./steps/erase-fraud-customer"
import { eraseRecommendationsCustomerStep } from "./steps/erase-recommendations-customer"
import { EraseCustomerStepInput, eraseUpliftCustomerStep } from "./steps/erase-uplift-customer"

export const eraseCustomerWorkflowId = "uplift-erase-customer"

/**
 * Right to erasure across the plugin's modules, run on customer.deleted. The history goes first: its
 * tombstone stops queued and running ingestion from bringing rows back while the other steps run.
 */
export const eraseCustomerWorkflow = createWorkflow(eraseCustomerWorkflowId, (input: EraseCustomerStepInput) => {
  const history = eraseUpliftCustomerStep(input)
  eraseDiscountsCustomerStep(input)
  eraseFraudCustomerStep(input)
  eraseRecommendationsCustomerStep(input)
  return new WorkflowResponse(history)
})
