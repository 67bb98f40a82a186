import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import type { EraseCustomerStepInput } from "./erase-uplift-customer"

export const eraseDiscountsCustomerStepId = "uplift-erase-customer-offers"

/** Deletes the customer's personal offers and offer decisions. No compensation: erasure is not undone. */
export const eraseDiscountsCustomerStep = createStep(eraseDiscountsCustomerStepId, async (input: EraseCustomerStepInput, { container }) => {
  await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).eraseCustomer(input.customer_id)
  return new StepResponse(undefined)
})
