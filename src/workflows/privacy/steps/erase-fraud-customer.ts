import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { FRAUD_MODULE } from "../../../modules/fraud"
import type FraudModuleService from "../../../modules/fraud/service"
import type { EraseCustomerStepInput } from "./erase-uplift-customer"

export const eraseFraudCustomerStepId = "uplift-erase-customer-fraud-data"

/** Deletes the customer's fraud assessments, their carts' client signals and labels (holds stay: they guard orders). */
export const eraseFraudCustomerStep = createStep(eraseFraudCustomerStepId, async (input: EraseCustomerStepInput, { container }) => {
  const deleted = await container.resolve<FraudModuleService>(FRAUD_MODULE).eraseCustomer(input.customer_id)
  return new StepResponse(deleted)
})
