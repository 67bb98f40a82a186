import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { upliftService } from "../ingestion/enqueue"

/** Keeps the plugin's customer profile in step (erasure on customer.deleted: customer-erasure.ts). */
export default async function customerLifecycleHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const uplift = upliftService(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "customer",
    fields: ["id", "email", "has_account", "created_at", "metadata"],
    filters: { id: event.data.id },
  })
  const customer = data[0]
  if (!customer) {
    return
  }
  await uplift.upsertCustomerProfile({
    customer_id: customer.id,
    email: customer.email,
    has_account: customer.has_account,
    signed_up_at: customer.created_at as Date,
    attributes: uplift.profileAttributes(customer.metadata as Record<string, unknown> | null),
  })
}

export const config: SubscriberConfig = {
  event: ["customer.created", "customer.updated"],
  context: { subscriberId: "medusa-uplift-customer-lifecycle" },
}
