import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { FRAUD_HOLD_EVENTS } from "../workflows/fraud/hold-workflows"

/** A held order's personal offer is redeemed when the hold is released and given back when it is rejected. */
export default async function discountHoldOutcomeHandler({ event, container }: SubscriberArgs<{ id: string; order_id: string | null }>) {
  if (!event.data.order_id) {
    return
  }
  const outcome = event.name === FRAUD_HOLD_EVENTS.released ? "released" : "rejected"
  await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).settleHeldOffer(event.data.order_id, outcome)
}

export const config: SubscriberConfig = {
  event: [FRAUD_HOLD_EVENTS.released, FRAUD_HOLD_EVENTS.rejected],
  context: { subscriberId: "medusa-uplift-discount-hold-outcome" },
}
