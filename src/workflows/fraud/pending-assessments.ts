/**
 * Assessment writes started by checkouts' validate hooks, by cart, until the same checkout's
 * beforePaymentAuthorization hook awaits them: the write overlaps the order's creation instead of delaying
 * it, and still lands (or stops the checkout) before the payment is authorized. completeCartWorkflow runs
 * its steps in the process that started it, so the two hooks share this map. A write that succeeded leaves
 * it at once; a failed one stays for its checkout to see.
 */
const KEPT = 10_000
const pending = new Map<string, Promise<void>>()

export function keepUntilAuthorization(cartId: string, recorded: Promise<void>): void {
  if (pending.size >= KEPT) pending.clear()
  pending.set(cartId, recorded)
  recorded.then(
    () => {
      if (pending.get(cartId) === recorded) pending.delete(cartId)
    },
    () => undefined
  )
}

/** Waits for the cart's assessment write, if one is in flight or failed; rethrows its failure. */
export async function awaitAssessmentWrite(cartId: string): Promise<void> {
  const recorded = pending.get(cartId)
  if (!recorded) return
  pending.delete(cartId)
  await recorded
}
