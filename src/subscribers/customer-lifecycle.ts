import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { syncCustomerProfileWorkflow } from "../workflows/customers/sync-customer-profile"

/** Keeps the plugin's customer profile in step (erasure on customer.deleted: customer-erasure.ts). */
export default async function customerLifecycleHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.data?.id) await syncCustomerProfileWorkflow(container).run({ input: { customer_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: ["customer.created", "customer.updated"],
  context: { subscriberId: "medusa-uplift-customer-lifecycle" },
}
