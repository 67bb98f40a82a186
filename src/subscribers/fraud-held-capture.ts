import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { refundHeldCapturesWorkflow } from "../workflows/fraud/refund-held-captures"

/**
 * Every capture through Medusa's capture workflow (admin, payment webhooks via processPaymentWorkflow,
 * mark-as-paid, another plugin) emits payment.captured: a capture on a held order is refunded, the hold stays.
 */
export default async function fraudHeldCaptureHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const paymentId = event.data?.id
  if (!paymentId) return
  const { data } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "payment", fields: ["payment_collection.order.id"], filters: { id: paymentId } })
  const orderId = (data[0] as any)?.payment_collection?.order?.id as string | undefined
  if (orderId) await refundHeldCapturesWorkflow(container).run({ input: { order_id: orderId } })
}

export const config: SubscriberConfig = { event: "payment.captured", context: { subscriberId: "uplift-fraud-held-capture" } }
