import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { FRAUD_MODULE } from "../../../modules/fraud"
import type FraudModuleService from "../../../modules/fraud/service"
import { cartOfOrder } from "../../fraud/hold-guard"
import { refundHeldCapturesWorkflow } from "../../fraud/refund-held-captures"
import { screenPlacedOrder } from "../../fraud/screen-placed-order"
import { isolateFault } from "../../isolate-fault"
import type { OrderPlacedInput } from "./order-placed-input"

export const linkOrderScreeningStepId = "uplift-order-placed-fraud"

/**
 * Links the cart's fraud assessment (and a pending hold) to the order just placed; an order without a cart (a
 * converted draft order) is screened now. A held order whose payment was captured at authorization (a
 * provider that captures at once) is refunded and stays held. No compensation: the link records a fact.
 */
export const linkOrderScreeningStep = createStep(linkOrderScreeningStepId, async ({ order_id }: OrderPlacedInput, { container }) => {
  const holdId = await isolateFault(container, `order.placed fraud screening of order ${order_id}`, async () => {
    const cartId = await cartOfOrder(container, order_id)
    const hold_id = cartId ? (await container.resolve<FraudModuleService>(FRAUD_MODULE).linkOrder(cartId, order_id)).hold_id : await screenPlacedOrder(container, order_id)
    if (hold_id) await refundHeldCapturesWorkflow(container).run({ input: { order_id } })
    return hold_id
  })
  return new StepResponse({ hold_id: holdId ?? null })
})
