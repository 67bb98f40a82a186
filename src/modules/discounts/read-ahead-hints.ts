/** How long a remembered lookup is trusted before the next one is allowed to doubt it. */
const HINT_TTL_MS = 10 * 60_000
const HINTS_KEPT = 50_000

/** What the cart request starts beside its offer lookup: a draw's reads, the basket alone, or nothing. */
export type ReadAhead = "decision" | "basket" | "none"

/**
 * What this process last saw of each shopper's offer lookup: whether every live policy's decision stood and
 * whether they held an order offer (whose level needs the basket's margin). A hint, never a fact: it only says
 * what to read beside the next lookup, which still says whether to decide and which offer holds. A wrong hint
 * costs an unused read or a read after the lookup, nothing else.
 */
export class ReadAheadHints {
  private readonly seen = new Map<string, { policies: string; until: number; holdsOrderOffer: boolean }>()

  readAhead(customerId: string, livePolicyIds: string[], now = Date.now()): ReadAhead {
    const hint = this.seen.get(customerId)
    if (!hint || hint.until < now || hint.policies !== livePolicyIds.join(",")) return "decision"
    return hint.holdsOrderOffer ? "basket" : "none"
  }

  /** Every one of these live policies has a decision (or an offer) standing for the shopper. */
  rememberStanding(customerId: string, livePolicyIds: string[], holdsOrderOffer: boolean, now = Date.now()): void {
    this.seen.delete(customerId)
    this.seen.set(customerId, { policies: livePolicyIds.join(","), until: now + HINT_TTL_MS, holdsOrderOffer })
    if (this.seen.size > HINTS_KEPT) this.seen.delete(this.seen.keys().next().value as string)
  }

  forget(customerId?: string): void {
    if (customerId === undefined) this.seen.clear()
    else this.seen.delete(customerId)
  }
}

/** Whether a standing offer is an order offer, whose level on the next update needs the basket's margin. */
export function holdsOrderOffer(offer: unknown, policy: Record<string, any> | null | undefined): boolean {
  return Boolean(offer) && policy?.target !== "items"
}
