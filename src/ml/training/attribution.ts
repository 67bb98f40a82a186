const DAY_MS = 86_400_000

/** Days after a decision in which a purchase counts as its conversion. */
export const ATTRIBUTION_DAYS = 7

/**
 * The outcome of a logged decision for training: 1 when the shopper bought within the attribution window,
 * 0 when the window closed without a purchase, and null while the window is still open, whether or not a
 * purchase has happened yet. Labelling early purchases at once but non-purchases only after the window
 * would make the newest decisions (the validation slice) look better than they are.
 */
export function attributedOutcome(decidedAt: number, firstPurchaseAt: number | null, now: number, windowDays: number): 0 | 1 | null {
  const closesAt = decidedAt + windowDays * DAY_MS
  if (now < closesAt) return null
  return firstPurchaseAt !== null && firstPurchaseAt >= decidedAt && firstPurchaseAt < closesAt ? 1 : 0
}
