import type { MedusaContainer } from "@medusajs/framework/types"
import { isAuthenticatedShopper } from "../../store-cart-requests"
import type { UsableOffer } from "../../../modules/discounts/service"
import type { Basket } from "../basket"
import { loadDecisionContext, DecisionCart, DecisionContext } from "./decision-context"
import { decidePersonalOffer, PersonalOfferOutcome } from "./decide-personal-offer"
import { recordDecisionTiming } from "./decision-timings"
import type { DecisionReads } from "./decision-reads"
import { holdsOrderOffer } from "../../../modules/discounts/read-ahead-hints"

/**
 * The personal offer decided inside the cart request itself (add to cart, update, transfer, creation with
 * items), so that the response the storefront shows already carries it. Only in a store request
 * authenticated as the cart's customer; jobs and admin refreshes never decide here. Null when nothing is
 * decided or the decision issues no offer. `decided`: the live policies with a decision standing for the
 * customer, when the caller read them with the offer lookup (else read here); `reads`: the draw's reads, when
 * the caller started them alongside that lookup; `mayDefer`: a later hook of this cart workflow settles the
 * claim (deferred-claims.ts), so an order offer is returned provisionally while its claim runs on.
 */
export async function decideInRequest(
  container: MedusaContainer,
  cart: DecisionCart,
  customerId: string,
  basket?: () => Promise<Basket>,
  decided?: Set<string>,
  reads?: DecisionReads,
  mayDefer = false
): Promise<UsableOffer | null> {
  if (isAuthenticatedShopper(container, cart.id, customerId) !== true) return null
  const started = performance.now()
  let phases: Record<string, number> | undefined
  let deferred = false
  try {
    const context = await loadDecisionContext(container, cart, customerId, "cart", basket, decided, reads)
    if (!context) return null
    phases = context.phases
    context.deferClaim = mayDefer
    const decision = await decidePersonalOffer(context)
    const { offer, claim } = decision
    const policy = offer && context.undecided.find((candidate) => candidate.id === offer.policy_id)
    const stood = (outcome: PersonalOfferOutcome) => rememberStanding(context, outcome)
    if (claim) {
      deferred = true
      context.discounts.deferredClaims.defer(cart.id, {
        claim: claim.then(stood),
        provisional: offer && { policy_id: offer.policy_id, discount_percent: Number(offer.discount_percent) },
        decidedMs: performance.now() - started,
        phases,
      })
    } else {
      stood(decision)
    }
    return offer && policy?.status === "active" ? ({ ...offer, policy } as UsableOffer) : null
  } finally {
    if (!deferred) recordDecisionTiming(performance.now() - started, phases)
  }
}

/** Once the customer's one decision under the only undecided policy stands, later updates need no draw's reads. */
function rememberStanding(context: DecisionContext, outcome: PersonalOfferOutcome): PersonalOfferOutcome {
  if (outcome.decision_id && context.undecided.length === 1) {
    const orderOffer = holdsOrderOffer(outcome.offer, context.undecided[0])
    context.discounts.readAheadHints.rememberStanding(context.customerId, context.livePolicyIds ?? [], orderOffer)
  }
  return outcome
}
