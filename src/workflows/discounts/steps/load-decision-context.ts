import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"
import { DecisionCart, DecisionTrigger, loadDecisionContext } from "../decision/decision-context"
import type { DecisionState } from "./decision-state"

export const loadDecisionContextStepId = "uplift-decision-load-context"

export interface IssuePersonalOfferInput {
  cart_id: string
  trigger?: DecisionTrigger
}

const CART_FIELDS = [
  "id",
  "customer_id",
  "currency_code",
  "region_id",
  "sales_channel_id",
  "shipping_address.country_code",
  "items.quantity",
  "items.product_id",
  "items.variant_id",
  "items.unit_price",
  "items.variant.metadata",
]

/**
 * The cart and everything the decision reads, each once (loadDecisionContext, then the purchase history and
 * the basket side by side, as the cart request reads them); null when there is nothing to decide: no
 * customer, an open offer already, no live policy without a standing decision. Reads only: no compensation.
 */
export const loadDecisionContextStep = createStep(loadDecisionContextStepId, async (input: IssuePersonalOfferInput, { container }) => {
  const cart = await loadCart(container, input.cart_id)
  const customerId = cart?.customer_id
  if (!cart || !customerId) return new StepResponse<DecisionState | null>(null)
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  // A customer holding an open offer needs no new decision.
  const [open] = await discounts.listPersonalOffers({ customer_id: customerId, status: "active" }, { take: 1, select: ["id"] })
  const context = open ? null : await loadDecisionContext(container, cart, customerId, input.trigger ?? "cart")
  if (!context) return new StepResponse<DecisionState | null>(null)
  const [history, basket] = await Promise.all([container.resolve<UpliftModuleService>(UPLIFT_MODULE).offerHistory(customerId), context.basket()])
  const state: DecisionState = { cart: context.cart, customer_id: customerId, trigger: context.trigger, undecided: context.undecided, history, basket, at: Date.now() }
  return new StepResponse<DecisionState | null>(state)
})

async function loadCart(container: MedusaContainer, cartId: string): Promise<(DecisionCart & { customer_id?: string | null }) | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
  return data[0] as any
}
