import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { syncCustomerProfileStep } from "./steps/sync-customer-profile"

export const syncCustomerProfileWorkflowId = "uplift-sync-customer-profile"

/** customer.created and customer.updated: the plugin's customer profile follows (erasure: privacy/erase-customer). */
export const syncCustomerProfileWorkflow = createWorkflow(syncCustomerProfileWorkflowId, (input: { customer_id: string }) => {
  return new WorkflowResponse(syncCustomerProfileStep(input))
})
