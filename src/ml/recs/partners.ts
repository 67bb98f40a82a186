import type { Interaction } from "./types"

const MAX_BASKET = 60
const PARTNERS = 8
const MIN_TOGETHER = 2

/**
 * Bought-together partners: for each item, the items sharing most baskets with it, normalised by
 * sqrt(count_i x count_j) so that best sellers do not partner with everything. Pairs seen in fewer than
 * two baskets are ignored.
 */
export function boughtTogether(interactions: Interaction[]): Record<string, string[]> {
  const baskets = new Map<string, Set<string>>()
  for (const x of interactions) {
    const key = x.basket ?? `${x.user}:${x.time}`
    let set = baskets.get(key)
    if (!set) baskets.set(key, (set = new Set()))
    set.add(x.item)
  }
  const itemCount = new Map<string, number>()
  const pairCount = new Map<string, Map<string, number>>()
  for (const set of baskets.values()) {
    if (set.size < 2 || set.size > MAX_BASKET) {
      for (const i of set) itemCount.set(i, (itemCount.get(i) ?? 0) + 1)
      continue
    }
    const items = [...set]
    for (const i of items) itemCount.set(i, (itemCount.get(i) ?? 0) + 1)
    for (let a = 0; a < items.length; a++) {
      for (let b = 0; b < items.length; b++) {
        if (a === b) continue
        let row = pairCount.get(items[a])
        if (!row) pairCount.set(items[a], (row = new Map()))
        row.set(items[b], (row.get(items[b]) ?? 0) + 1)
      }
    }
  }
  const out: Record<string, string[]> = {}
  for (const [i, row] of pairCount) {
    const scored = [...row]
      .filter(([, n]) => n >= MIN_TOGETHER)
      .map(([j, n]) => ({ j, s: n / Math.sqrt((itemCount.get(i) ?? 1) * (itemCount.get(j) ?? 1)) }))
      .sort((x, y) => y.s - x.s || (x.j < y.j ? -1 : 1))
      .slice(0, PARTNERS)
    if (scored.length) out[i] = scored.map((x) => x.j)
  }
  return out
}
