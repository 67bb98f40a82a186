/** How long a remembered "their decisions stand" is trusted before the next lookup is allowed to doubt it. */
const HINT_TTL_MS = 10 * 60_000
const HINTS_KEPT = 50_000

/**
 * Which shoppers this process last saw with a decision standing under every live policy: a hint, never a
 * fact. It only tells the cart request whether to start the decision's reads alongside the offer lookup
 * (speculatively), so that a shopper who needs a decision waits for one wave of reads, not two; the lookup
 * still says whether to decide. A wrong hint costs a wasted read or a second wave, nothing else.
 */
export class StandingDecisionHints {
  private readonly standing = new Map<string, { policies: string; until: number }>()

  /** Whether the shopper may need a decision under these live policies: unknown, or last seen undecided. */
  mayNeedDecision(customerId: string, livePolicyIds: string[], now = Date.now()): boolean {
    const hint = this.standing.get(customerId)
    return !hint || hint.until < now || hint.policies !== livePolicyIds.join(",")
  }

  /** The shopper has a decision (or an offer) standing under every one of these live policies. */
  rememberStanding(customerId: string, livePolicyIds: string[], now = Date.now()): void {
    this.standing.delete(customerId)
    this.standing.set(customerId, { policies: livePolicyIds.join(","), until: now + HINT_TTL_MS })
    if (this.standing.size > HINTS_KEPT) this.standing.delete(this.standing.keys().next().value as string)
  }

  forget(customerId?: string): void {
    if (customerId === undefined) this.standing.clear()
    else this.standing.delete(customerId)
  }
}
