import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { DecisionCart, DecisionTrigger, loadDecisionContext } from "../decision/decision-context"
import { decidePersonalOffer } from "../decision/decide-personal-offer"

export const decidePersonalOfferStepId = "uplift-decide-personal-offer"

export interface DecidePersonalOfferInput {
  cart_id: string
  trigger?: DecisionTrigger
}

export interface DecidePersonalOfferOutput {
  decision_id?: string
  offer_id?: string
  chosen_percent?: number
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
 * The scheduled rounds' decision (abandoned carts, the demo seed): the same pieces as the cart request's
 * (src/workflows/discounts/decision), for a cart read here. Compensation revokes an offer it issued.
 */
export const decidePersonalOfferStep = createStep(
  decidePersonalOfferStepId,
  async (input: DecidePersonalOfferInput, { container }) => {
    const cart = await loadCart(container, input.cart_id)
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    // A customer holding an open offer needs no new decision.
    const open = cart?.customer_id && (await discounts.listPersonalOffers({ customer_id: cart.customer_id, status: "active" }, { take: 1, select: ["id"] }))[0]
    const context = cart?.customer_id && !open ? await loadDecisionContext(container, cart, cart.customer_id, input.trigger ?? "cart") : null
    if (!context) {
      return new StepResponse<DecidePersonalOfferOutput, string>({}, "")
    }
    const { decision_id, offer, chosen_percent, issued } = await decidePersonalOffer(context)
    return new StepResponse<DecidePersonalOfferOutput, string>({ decision_id, offer_id: offer?.id, chosen_percent }, issued ? offer!.id : "")
  },
  async (offerId, { container }) => {
    if (offerId) {
      const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
      await discounts.updatePersonalOffers({ id: offerId, status: "revoked", revoked_reason: "workflow rolled back" })
    }
  }
)

async function loadCart(container: MedusaContainer, cartId: string): Promise<(DecisionCart & { customer_id?: string | null }) | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
  return data[0] as any
}
