import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type FraudModuleService from "../modules/fraud/service"

/** Erases the deleted customer's fraud assessments, client signals and labels. */
export default async function fraudCustomerErasureHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.data?.id) await container.resolve<FraudModuleService>("upliftFraud").eraseCustomer(event.data.id)
}

export const config: SubscriberConfig = { event: "customer.deleted", context: { subscriberId: "uplift-fraud-customer-erasure" } }
