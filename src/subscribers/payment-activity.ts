import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { paymentActivityWorkflow } from "../workflows/payments/payment-activity"
import type { PaymentEventInput } from "../workflows/payments/steps/payment-event-input"

/** Captures and refunds: payment history, and the refund of a capture on a held order (src/workflows/payments). */
export default async function paymentActivityHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.data?.id) await paymentActivityWorkflow(container).run({ input: { payment_id: event.data.id, event_name: event.name as PaymentEventInput["event_name"] } })
}

export const config: SubscriberConfig = {
  event: ["payment.captured", "payment.refunded"],
  context: { subscriberId: "medusa-uplift-payment-activity" },
}
