import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import type { LivePolicy } from "../../../modules/discounts/service"
import type { Round } from "../../../modules/discounts/eligibility"
import type { OfferDecision } from "../../../ml/decision/offer-decision"
import type { OfferHistory } from "../../../modules/uplift/service"
import type { Basket } from "../basket"
import type { DecisionCart, DecisionContext, DecisionTrigger } from "../decision/decision-context"

/**
 * What the scheduled decision's steps hand each other: the data of a DecisionContext (src/workflows/discounts/
 * decision), without the container and services a step gets from its own context, read once by the first
 * step. `at` is the decision's clock (ms), the same for the round and the features.
 */
export interface DecisionState {
  cart: DecisionCart
  customer_id: string
  trigger: DecisionTrigger
  undecided: LivePolicy[]
  history: OfferHistory
  basket: Basket
  at: number
}

/** The policy the shopper is eligible under and the round they are in. */
export interface EligiblePolicy {
  policy: LivePolicy
  round: Round
}

/** The draw after fairness (and the item plan): what the log step records. */
export interface DrawnDecision {
  decision: OfferDecision
  features: Record<string, number>
  fairness_value: string | null
}

/** The DecisionContext the decision functions take, for a step's container. */
export function decisionContextOf(container: MedusaContainer, state: DecisionState): DecisionContext {
  return {
    container,
    discounts: container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE),
    cart: state.cart,
    customerId: state.customer_id,
    trigger: state.trigger,
    undecided: state.undecided,
    phases: {},
    basket: async () => state.basket,
  }
}
