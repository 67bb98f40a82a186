/** What a decision's claim came back with: whether it recorded this decision, and the customer's offer under the policy afterwards. */
export interface ClaimOutcome {
  recorded?: boolean
  offer?: Record<string, any>
}

export interface DeferredClaim {
  claim: Promise<ClaimOutcome>
  /** The offer the cart's promotions were computed with before the claim answered (none: no discount). */
  provisional?: { policy_id: string; discount_percent: number }
  /** The decision's own time in the request before it handed the claim over, and its phases. */
  decidedMs: number
  phases: Record<string, number>
}

/** A claim whose workflow failed before its settling hook is forgotten this long after it answered. */
const FORGET_AFTER_MS = 10_000

/**
 * The claims of decisions drawn inside cart workflows that a later hook of the same workflow settles
 * (src/workflows/discounts/decision/deferred-claims.ts), by cart: one at a time per cart, which Medusa's cart
 * lock already serializes.
 */
export class DeferredClaims {
  private readonly pending = new Map<string, DeferredClaim>()

  has(cartId: string): boolean {
    return this.pending.has(cartId)
  }

  defer(cartId: string, deferred: DeferredClaim): void {
    this.pending.set(cartId, deferred)
    const forget = () => setTimeout(() => this.pending.get(cartId) === deferred && this.pending.delete(cartId), FORGET_AFTER_MS).unref()
    deferred.claim.then(forget, forget)
  }

  take(cartId: string): DeferredClaim | undefined {
    const deferred = this.pending.get(cartId)
    this.pending.delete(cartId)
    return deferred
  }
}

/** Whether this claim made the provisional offer the customer's (or, with none, gave no offer either). */
export function claimStands(deferred: Pick<DeferredClaim, "provisional">, outcome: ClaimOutcome): boolean {
  if (!outcome.recorded) return false
  const { provisional } = deferred
  const offer = outcome.offer
  if (!provisional || !offer) return !provisional && !offer
  return offer.policy_id === provisional.policy_id && Number(offer.discount_percent) === provisional.discount_percent
}
