import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { settleHeldOfferWorkflow } from "../workflows/discounts/settle-held-offer"
import { FRAUD_HOLD_EVENTS } from "../workflows/fraud/hold-workflows"

/** A held order's personal offer is redeemed when the hold is released and given back when it is rejected. */
export default async function discountHoldOutcomeHandler({ event, container }: SubscriberArgs<{ id: string; order_id: string | null }>) {
  if (!event.data.order_id) {
    return
  }
  const outcome = event.name === FRAUD_HOLD_EVENTS.released ? "released" : "rejected"
  await settleHeldOfferWorkflow(container).run({ input: { order_id: event.data.order_id, outcome } })
}

export const config: SubscriberConfig = {
  event: [FRAUD_HOLD_EVENTS.released, FRAUD_HOLD_EVENTS.rejected],
  context: { subscriberId: "medusa-uplift-discount-hold-outcome" },
}
