import type { MedusaContainer } from "@medusajs/framework/types"
import { isAuthenticatedShopper } from "../../../lib/shopper-context"
import type { UsableOffer } from "../../../modules/discounts/service"
import type { Basket } from "../basket"
import { loadDecisionContext, DecisionCart } from "./decision-context"
import { decidePersonalOffer } from "./decide-personal-offer"
import { recordDecisionTiming } from "./decision-timings"
import type { DecisionReads } from "./decision-reads"

/**
 * The personal offer decided inside the cart request itself (add to cart, update, transfer, creation with
 * items), so that the response the storefront shows already carries it. Only in a store request
 * authenticated as the cart's customer; jobs and admin refreshes never decide here. Null when nothing is
 * decided or the decision issues no offer. `decided`: the live policies with a decision standing for the
 * customer, when the caller read them with the offer lookup (else read here); `reads`: the draw's reads, when
 * the caller started them alongside that lookup.
 */
export async function decideInRequest(
  container: MedusaContainer,
  cart: DecisionCart,
  customerId: string,
  basket?: () => Promise<Basket>,
  decided?: Set<string>,
  reads?: DecisionReads
): Promise<UsableOffer | null> {
  if (isAuthenticatedShopper(customerId) !== true) return null
  const started = performance.now()
  let phases: Record<string, number> | undefined
  try {
    const context = await loadDecisionContext(container, cart, customerId, "cart", basket, decided, reads)
    if (!context) return null
    phases = context.phases
    const { offer, decision_id } = await decidePersonalOffer(context)
    const policy = offer && context.undecided.find((candidate) => candidate.id === offer.policy_id)
    if (decision_id && context.undecided.length === 1) {
      context.discounts.readAheadHints.rememberStanding(customerId, context.livePolicyIds ?? [], Boolean(policy) && policy!.target !== "items")
    }
    return offer && policy?.status === "active" ? ({ ...offer, policy } as UsableOffer) : null
  } finally {
    recordDecisionTiming(performance.now() - started, phases)
  }
}
