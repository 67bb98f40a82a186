import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"

export const eraseUpliftCustomerStepId = "uplift-erase-customer-history"

export interface EraseCustomerStepInput {
  customer_id: string
}

/**
 * Tombstones the customer, deletes their interactions and profile, takes their data out of the outbox and
 * queues and tells every process to drop its caches. No compensation: erased data cannot come back, and a
 * retry completes the erasure (the step is idempotent).
 */
export const eraseUpliftCustomerStep = createStep(eraseUpliftCustomerStepId, async (input: EraseCustomerStepInput, { container }) => {
  const erased = await container.resolve<UpliftModuleService>(UPLIFT_MODULE).eraseCustomer(input.customer_id)
  return new StepResponse(erased)
})
