import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { FRAUD_MODULE } from "../../../modules/fraud"
import type FraudModuleService from "../../../modules/fraud/service"
import { toNumber } from "../../../lib/numbers"
import { refreshOfferCarts } from "../../discounts/refresh-carts"
import { isolateFault } from "../../isolate-fault"
import type { OrderPlacedInput } from "./order-placed-input"

export const redeemOrderOfferStepId = "uplift-order-placed-redeem-offer"

/**
 * An order that carries a personal offer redeems the offer its checkout claimed: single use, and its real
 * cost replaces the reservation; while fraud review holds the order it is only `held`. A first order
 * placed without it ends the customer's first-order offers. Either way the customer's other open carts
 * that still show an offer are re-evaluated, so they lose it now rather than at their checkout.
 * No compensation: a redemption records what the order paid.
 */
export const redeemOrderOfferStep = createStep(redeemOrderOfferStepId, async ({ order_id }: OrderPlacedInput, { container }) => {
  await isolateFault(container, `order.placed offer redemption for order ${order_id}`, () => redeemOrderOffer(container, order_id))
  return new StepResponse(undefined)
})

async function redeemOrderOffer(container: MedusaContainer, orderId: string): Promise<void> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "customer_id", "cart.id", "items.adjustments.code", "items.adjustments.amount"],
    filters: { id: orderId },
  })
  const order = data[0] as any
  if (!order?.customer_id) {
    return
  }
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const offerAdjustments = (order.items ?? []).flatMap((item: any) => item.adjustments ?? []).filter((adjustment: any) => discounts.offerCodes.isOfferCode(adjustment.code))
  if (!offerAdjustments.length) {
    // A guest order placed with a customer's email says nothing about that customer's own first order.
    if (!order.cart?.id || !(await discounts.isShopperCart(order.cart.id, order.customer_id))) return
    const revoked = await discounts.revokeFirstOrderOffers(order.customer_id)
    if (revoked.length) await refreshOfferCarts(container, [order.customer_id])
    return
  }
  const amount = offerAdjustments.reduce((sum: number, adjustment: any) => sum + toNumber(adjustment.amount), 0)
  const held = Boolean(await container.resolve<FraudModuleService>(FRAUD_MODULE).openHold(order.id, order.cart?.id))
  const usedBy = { order_id: order.id, cart_id: order.cart?.id ?? null, customer_id: order.customer_id }
  await discounts.redeemOffer(usedBy, Math.round(amount * 100) / 100, held)
  await refreshOfferCarts(container, [order.customer_id])
}
