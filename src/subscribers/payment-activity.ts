import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordPaymentEvent } from "../ingestion/record"

/** Captured and refunded money per payment, tied to the order's customer (batched with other payment events). */
export default async function paymentActivityHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  await recordPaymentEvent(container, { name: event.name, id: event.data.id })
}

export const config: SubscriberConfig = {
  event: ["payment.captured", "payment.refunded"],
  context: { subscriberId: "medusa-uplift-payment-activity" },
}
