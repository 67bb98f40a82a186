import { CustomerState, decodeCustomerState, ItemContent, similarItems, topN, userIndexOf } from "../ml/recs"
import type { CustomerEvent } from "../modules/uplift/history"
import type { RecsArtifact } from "./artifact"
import type { OwnedHistory, Reason } from "./reasons"

/*
 * A customer's ranking from the model and their live history: plain data in and out, so that it runs in
 * the request path and in the ranking thread alike (no Medusa imports).
 */

/** Candidates kept per customer: enough for the largest page (limit 50) after unsellable ones drop out. */
export const CANDIDATES = 50 * 3 + 20

/** What ranking needs of a loaded model. */
export interface RankingModel {
  artifact: RecsArtifact
  dataTo: Date | null
}

/** What a customer's recommendations are built from: the same for every region, channel and page size. */
export interface CustomerRanking {
  /** The live-history stamp it was computed from (see InteractionHistory.historyStamps). */
  stamp: string
  /** Unknown to the model and no purchases: ranked per request from the region and the cart instead. */
  coldStart: boolean
  /** Personal candidates, best first; popularity is appended per request. */
  personal: string[]
  owned: OwnedHistory
  /** Reasons computed so far (without the regional distinction, which depends on the request). */
  reasons: Map<string, Reason>
}

/**
 * One customer's ranking from their live history (newest first) and the model; `stateBytes` is the
 * customer's stored state when the model keeps its customers as rows (absent: not trained on them).
 */
export function rankCustomer(loaded: RankingModel | null, customerId: string, stamp: string, events: CustomerEvent[], stateBytes?: Uint8Array | null): CustomerRanking {
  const owned: OwnedHistory = { counts: purchaseCounts(events) }
  const state = loaded?.artifact.customerStates && stateBytes ? decodeCustomerState(stateBytes, loaded.artifact.customerStates.dim) : null
  const known = Boolean(state || (loaded && userIndexOf(loaded.artifact.model, customerId) >= 0))
  const coldStart = !known && owned.counts.size === 0
  const personal = coldStart ? [] : loaded ? modelCandidates(loaded, customerId, state, known, events) : historyCandidates(events)
  return { stamp, coldStart, personal, owned, reasons: new Map() }
}

/** Purchases per product (distinct orders) from the customer's live history. */
function purchaseCounts(events: CustomerEvent[]): Map<string, number> {
  const seen = new Map<string, Set<string>>()
  for (const e of events) {
    if (e.kind !== "purchase") continue
    let baskets = seen.get(e.product_id)
    if (!baskets) seen.set(e.product_id, (baskets = new Set()))
    baskets.add(e.order_id ?? String(new Date(e.occurred_at).getTime()))
  }
  return new Map([...seen].map(([id, baskets]) => [id, baskets.size]))
}

/** Without a model: how often and how recently the customer bought (or carted) each product. */
function historyCandidates(events: CustomerEvent[]): string[] {
  const score = new Map<string, number>()
  const newest = events.length ? new Date(events[0].occurred_at).getTime() : 0
  for (const e of events) {
    const age = (newest - new Date(e.occurred_at).getTime()) / 86_400_000
    const weight = (e.kind === "purchase" ? 1 : 0.3) * Math.exp(-age / 60)
    score.set(e.product_id, (score.get(e.product_id) ?? 0) + weight)
  }
  return [...score].sort((a, b) => b[1] - a[1]).map(([id]) => id)
}

/**
 * Known customers: the model's ranking of their trained history, merged with a ranking of their live
 * purchases since (folded in as a new customer's items); products bought live but unknown to the model
 * (new catalog items) keep a place after them.
 */
function modelCandidates(loaded: RankingModel, customerId: string, state: CustomerState | null, known: boolean, events: CustomerEvent[]): string[] {
  const model = loaded.artifact.model
  const dataTo = loaded.dataTo?.getTime() ?? 0
  const fresh = events.filter((e) => !known || new Date(e.occurred_at).getTime() > dataTo).map((e) => e.product_id)
  const lists: { item: string; score: number }[][] = []
  if (known) lists.push(topN(model, state ? { state } : customerId, CANDIDATES))
  if (fresh.length) lists.push(topN(model, { items: fresh }, CANDIDATES))
  const best = new Map<string, number>()
  for (const list of lists) for (const r of list) best.set(r.item, Math.max(best.get(r.item) ?? -Infinity, r.score))
  const ranked = [...best].sort((a, b) => b[1] - a[1]).map(([id]) => id)
  return [...new Set([...ranked, ...fresh.filter((id) => !best.has(id))])]
}

/** A product's similar products, best first (itself left out); an unknown product is placed by its content. */
export function similarRanking(loaded: RankingModel, item: string | ItemContent): string[] {
  const itself = typeof item === "string" ? item : item.item
  return similarItems(loaded.artifact.model, item, CANDIDATES)
    .map((r) => r.item)
    .filter((id) => id !== itself)
}
