import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { paymentInteractions, PaymentSnapshot } from "../ingestion/normalize"
import { enqueueInteractions } from "../ingestion/enqueue"

/** Captured and refunded money per payment, tied to the order's customer. */
export default async function paymentActivityHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment",
    fields: [
      "id",
      "amount",
      "currency_code",
      "captures.id",
      "captures.amount",
      "refunds.id",
      "refunds.amount",
      "payment_collection.order.id",
      "payment_collection.order.customer_id",
    ],
    filters: { id: event.data.id },
  })
  const payment = data[0] as (PaymentSnapshot & { payment_collection?: { order?: { id: string; customer_id?: string } } }) | undefined
  if (!payment) {
    return
  }
  const kind = event.name === "payment.refunded" ? "payment_refunded" : "payment_captured"
  const order = payment.payment_collection?.order ?? null
  await enqueueInteractions(container, event.name, payment.id, paymentInteractions(payment, order, kind))
}

export const config: SubscriberConfig = {
  event: ["payment.captured", "payment.refunded"],
  context: { subscriberId: "medusa-uplift-payment-activity" },
}
