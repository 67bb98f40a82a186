import type { MedusaContainer } from "@medusajs/framework/types"
import { PromotionActions } from "@medusajs/framework/utils"
import { updateCartPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { recordDecisionTiming } from "./decision-timings"

/** What a decision's claim came back with: the customer's offer under the policy afterwards, if any. */
export interface ClaimOutcome {
  recorded?: boolean
  offer?: Record<string, any>
}

interface DeferredClaim {
  claim: Promise<ClaimOutcome>
  /** The offer the cart's promotions were computed with before the claim answered (none: no discount). */
  provisional?: { policy_id: string; discount_percent: number }
  /** The decision's own time in the request before it handed the claim over, and its phases. */
  decidedMs: number
  phases: Record<string, number>
}

/**
 * The cart workflows whose later hook (registered by src/workflows/hooks/claim-settle.ts) settles a claim
 * before the response is built, by the workflow id that runs updateCartPromotionsWorkflow as a step.
 */
const settlingWorkflows = new Set<string>()
const pending = new Map<string, DeferredClaim>()
/** A claim whose workflow failed before its settling hook is forgotten this long after it answered. */
const FORGET_AFTER_MS = 10_000

export function settlesDeferredClaims(workflowId: string): void {
  settlingWorkflows.add(workflowId)
}

/**
 * Whether this promotion evaluation may hand the decision's claim over to a later hook of the same cart
 * workflow: only inside a workflow whose settling hook is registered, and one claim per cart at a time.
 * `parentStepIdempotencyKey` is the hook's step context's, `<workflow id>:<transaction>:...`.
 */
export function mayDeferClaim(cartId: string, parentStepIdempotencyKey: string | undefined): boolean {
  const parent = parentStepIdempotencyKey?.split(":")[0]
  return Boolean(parent && settlingWorkflows.has(parent)) && !pending.has(cartId)
}

/**
 * Keeps the claim of a decision drawn for this cart (the write that makes it the customer's one decision and
 * issues its offer) running while Medusa computes and writes the cart's promotions with the provisional
 * offer; the settling hook awaits it before the response.
 */
export function deferClaim(cartId: string, claim: DeferredClaim): void {
  pending.set(cartId, claim)
  claim.claim
    .catch(() => undefined)
    .then(() => setTimeout(() => pending.get(cartId) === claim && pending.delete(cartId), FORGET_AFTER_MS).unref())
}

/**
 * Awaits the cart's deferred claim, if any. When the claim did not make the provisional offer the customer's
 * (a racing request's decision stands with another level, the budget or the per-customer limit refused it, or
 * the write failed), the cart's promotions are computed again now, inside the same workflow (its lock is held,
 * so the nested run skips it as Medusa's own nested runs do): the response shows what stands, never a discount
 * without its offer. `refreshPayment`: the workflow already refreshed the payment collection.
 */
export async function settleDeferredClaim(container: MedusaContainer, cartId: string, refreshPayment = false): Promise<void> {
  const deferred = pending.get(cartId)
  if (!deferred) return
  pending.delete(cartId)
  const started = performance.now()
  let stands = false
  try {
    stands = claimStands(deferred, await deferred.claim)
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: personal offer decision of cart ${cartId} not recorded: ${(error as Error).message}`)
  }
  if (!stands) await recomputePromotions(container, cartId, refreshPayment)
  deferred.phases.claim_wait = performance.now() - started
  recordDecisionTiming(deferred.decidedMs + deferred.phases.claim_wait, deferred.phases)
}

function claimStands({ provisional }: DeferredClaim, outcome: ClaimOutcome): boolean {
  if (!outcome.recorded) return false
  const offer = outcome.offer
  if (!provisional || !offer) return !provisional && !offer
  return offer.policy_id === provisional.policy_id && Number(offer.discount_percent) === provisional.discount_percent
}

async function recomputePromotions(container: MedusaContainer, cartId: string, refreshPayment: boolean): Promise<void> {
  try {
    await updateCartPromotionsWorkflow(container).run({
      input: { cart_id: cartId, promo_codes: [], action: PromotionActions.ADD, force_refresh_payment_collection: refreshPayment },
      context: { parentStepIdempotencyKey: `uplift-settle-claim:${cartId}` },
    })
  } catch (error) {
    // The checkout's claim refuses a discount without its offer, so the cart cannot be charged it.
    container.resolve("logger").warn(`medusa-uplift: promotions of cart ${cartId} not recomputed after its offer's claim: ${(error as Error).message}`)
  }
}
