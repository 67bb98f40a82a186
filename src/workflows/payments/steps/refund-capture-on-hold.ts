import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { refundHeldCapturesWorkflow } from "../../fraud/refund-held-captures"
import { isolateFault } from "../../isolate-fault"
import type { PaymentEventInput } from "./payment-event-input"

export const refundCaptureOnHoldStepId = "uplift-payment-refund-capture-on-hold"

/**
 * Every capture through Medusa's capture workflow (admin, payment webhooks via processPaymentWorkflow,
 * mark-as-paid, another plugin) emits payment.captured: a capture on a held order is refunded, the hold stays.
 * No compensation: a refund cannot be taken back (refundHeldCapturesWorkflow records it on the hold).
 */
export const refundCaptureOnHoldStep = createStep(refundCaptureOnHoldStepId, async ({ payment_id, event_name }: PaymentEventInput, { container }) => {
  if (event_name !== "payment.captured") return new StepResponse(undefined)
  await isolateFault(container, `payment.captured fraud hold check of payment ${payment_id}`, async () => {
    const { data } = await container
      .resolve(ContainerRegistrationKeys.QUERY)
      .graph({ entity: "payment", fields: ["payment_collection.order.id"], filters: { id: payment_id } })
    const orderId = (data[0] as any)?.payment_collection?.order?.id as string | undefined
    if (orderId) await refundHeldCapturesWorkflow(container).run({ input: { order_id: orderId } })
  })
  return new StepResponse(undefined)
})
