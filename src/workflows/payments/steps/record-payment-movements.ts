import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { recordPaymentEvent } from "../../../ingestion/record"
import { isolateFault } from "../../isolate-fault"
import type { PaymentEventInput } from "./payment-event-input"

export const recordPaymentMovementsStepId = "uplift-payment-record-movements"

/** Captured and refunded money per payment, tied to the order's customer (queued with other payment events, see src/ingestion/record.ts). No compensation: the money moved. */
export const recordPaymentMovementsStep = createStep(recordPaymentMovementsStepId, async ({ payment_id, event_name }: PaymentEventInput, { container }) => {
  await isolateFault(container, `${event_name} payment history of payment ${payment_id}`, () => recordPaymentEvent(container, { name: event_name, id: payment_id }))
  return new StepResponse(undefined)
})
