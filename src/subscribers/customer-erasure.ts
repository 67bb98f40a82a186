import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { eraseCustomerWorkflow } from "../workflows/privacy/erase-customer"

/** A customer deleted in Medusa is erased from every table, queue and cache of the plugin. */
export default async function customerErasureHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.data?.id) await eraseCustomerWorkflow(container).run({ input: { customer_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "customer.deleted",
  context: { subscriberId: "medusa-uplift-customer-erasure" },
}
