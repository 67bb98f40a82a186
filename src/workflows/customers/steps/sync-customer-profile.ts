import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { upliftService } from "../../../ingestion/enqueue"

export const syncCustomerProfileStepId = "uplift-customer-profile-upsert"

/**
 * Keeps the plugin's customer profile in step with Medusa's customer (email, account, sign-up, the metadata
 * keys the merchant listed). No compensation: the only step, and the profile mirrors what Medusa holds.
 */
export const syncCustomerProfileStep = createStep(syncCustomerProfileStepId, async (input: { customer_id: string }, { container }) => {
  const uplift = upliftService(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "customer",
    fields: ["id", "email", "has_account", "created_at", "metadata"],
    filters: { id: input.customer_id },
  })
  const customer = data[0]
  if (!customer) {
    return new StepResponse(false)
  }
  await uplift.upsertCustomerProfile({
    customer_id: customer.id,
    email: customer.email,
    has_account: customer.has_account,
    signed_up_at: customer.created_at as Date,
    attributes: uplift.profileAttributes(customer.metadata as Record<string, unknown> | null),
  })
  return new StepResponse(true)
})
