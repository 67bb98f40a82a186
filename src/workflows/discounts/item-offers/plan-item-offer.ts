import type { MedusaContainer } from "@medusajs/framework/types"
import type { OfferDecision, ResponseModel } from "../../../ml/decision/offer-decision"
import { priorResponseModel, refuseOffer } from "../../../ml/decision/offer-decision"
import { recommendForCustomer } from "../../../recommendations/recommend"
import type { Basket } from "../basket"
import { chooseItemTargets, ItemCandidate, ItemTargetPolicy } from "./choose-item-targets"

/** Recommended products (besides the cart's lines) considered for an item offer. */
const RECOMMENDED_CANDIDATES = 10

export interface ItemOfferPlan {
  product_ids: string[]
  expected: Record<string, number>
  /** Value of the cart lines the offer discounts (what the budget reserves against). */
  targeted_cart_value: number
}

export interface CartForPlan {
  customer_id: string
  region_id?: string | null
  sales_channel_id?: string | null
}

/**
 * Item-level policies (`target: "items"`): narrows the order-level decision (holdout, exploration, ladder,
 * margin floor already applied) to the cart lines and recommended products whose expected incremental
 * profit at the chosen level is positive. With none, the decision becomes "no offer" and says why.
 * Mutates `decision` (chosen level and reasons) so that the logged decision is what was offered.
 */
export async function planItemOffer(
  container: MedusaContainer,
  policy: ItemTargetPolicy,
  cart: CartForPlan,
  basket: Basket,
  decision: OfferDecision,
  features: Record<string, number>,
  model: ResponseModel | null,
  defaultMargin: number
): Promise<ItemOfferPlan | null> {
  const percent = decision.chosen_percent
  if (percent <= 0) return null
  const lines: ItemCandidate[] = basket.lines
    .filter((line) => line.product_id)
    .map((line) => ({
      product_id: line.product_id!,
      value: line.unit_price * line.quantity,
      margin_percent: line.cost !== null && line.unit_price > 0 ? (100 * (line.unit_price - line.cost)) / line.unit_price : defaultMargin,
    }))
  const recommended = await recommendedCandidates(container, cart, defaultMargin).catch((error) => {
    container.resolve("logger").warn(`medusa-uplift: item offer without recommended items: ${(error as Error).message}`)
    return [] as ItemCandidate[]
  })
  const pBuy = (model ?? priorResponseModel).predict(features, [0, percent]) as [number, number]
  const chosen = chooseItemTargets(policy, percent, pBuy, [...lines, ...recommended])
  if (!chosen.product_ids.length) {
    // Only the drawn level is known to be refused: the others were not planned.
    Object.assign(decision, refuseOffer(decision, () => false, `Item offer: no item is expected to pay for a ${percent}% discount; no offer.`))
    return null
  }
  const targeted = new Set(chosen.product_ids)
  const inCart = lines.filter((line) => targeted.has(line.product_id))
  decision.reasons.push(
    `Item offer: ${percent}% off ${chosen.product_ids.length} item(s) whose expected incremental ${policy.objective} is positive (${inCart.length} in the cart).`
  )
  return { ...chosen, targeted_cart_value: inCart.reduce((sum, line) => sum + line.value, 0) }
}

async function recommendedCandidates(container: MedusaContainer, cart: CartForPlan, defaultMargin: number): Promise<ItemCandidate[]> {
  const result = await recommendForCustomer(container, {
    customerId: cart.customer_id,
    regionId: cart.region_id ?? null,
    salesChannelIds: cart.sales_channel_id ? [cart.sales_channel_id] : [],
    cartProductIds: [],
    limit: RECOMMENDED_CANDIDATES,
    withOffer: false,
  })
  return result.recommendations
    .filter((rec) => rec.price !== null && rec.price > 0)
    .map((rec) => ({
      product_id: rec.product_id,
      value: rec.price!,
      margin_percent: rec.cost !== null ? (100 * (rec.price! - rec.cost)) / rec.price! : defaultMargin,
    }))
}
