import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { enqueueInteractions } from "../../../ingestion/enqueue"
import { paymentInteractions, PaymentSnapshot } from "../../../ingestion/normalize"
import { isolateFault } from "../../isolate-fault"
import type { PaymentEventInput } from "./payment-event-input"

export const recordPaymentMovementsStepId = "uplift-payment-record-movements"

/** Captured and refunded money per payment, tied to the order's customer (queued). No compensation: the money moved. */
export const recordPaymentMovementsStep = createStep(recordPaymentMovementsStepId, async ({ payment_id, event_name }: PaymentEventInput, { container }) => {
  await isolateFault(container, `${event_name} payment history of payment ${payment_id}`, () => recordPaymentMovements(container, payment_id, event_name))
  return new StepResponse(undefined)
})

async function recordPaymentMovements(container: MedusaContainer, paymentId: string, eventName: PaymentEventInput["event_name"]): Promise<void> {
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
    filters: { id: paymentId },
  })
  const payment = data[0] as (PaymentSnapshot & { payment_collection?: { order?: { id: string; customer_id?: string } } }) | undefined
  if (!payment) {
    return
  }
  const kind = eventName === "payment.refunded" ? "payment_refunded" : "payment_captured"
  const order = payment.payment_collection?.order ?? null
  await enqueueInteractions(container, eventName, payment.id, paymentInteractions(payment, order, kind))
}
