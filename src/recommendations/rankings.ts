import type { MedusaContainer } from "@medusajs/framework/types"
import { topN, userIndexOf } from "../ml/recs"
import { RECOMMENDATIONS_MODULE } from "../modules/recommendations"
import type RecommendationsModuleService from "../modules/recommendations/service"
import type { CustomerEvent } from "../modules/recommendations/service"
import type { LoadedModel } from "./model-store"
import { explain, OwnedHistory, Reason } from "./reasons"

/** Candidates kept per customer: enough for the largest page (limit 50) after unsellable ones drop out. */
export const CANDIDATES = 50 * 3 + 20
/** Customers whose rankings a process keeps (per model); beyond this the least recently stored go. */
const MAX_RANKINGS = 20_000
const WARM_BATCH = 200

/** What a customer's recommendations are built from: the same for every region, channel and page size. */
export interface CustomerRanking {
  /** The live-history stamp it was computed from (see RecommendationsModuleService.historyStamps). */
  stamp: string
  /** Unknown to the model and no purchases: ranked per request from the region and the cart instead. */
  coldStart: boolean
  /** Personal candidates, best first; popularity is appended per request. */
  personal: string[]
  owned: OwnedHistory
  /** Reasons computed so far (without the regional distinction, which depends on the request). */
  reasons: Map<string, Reason>
}

const NO_MODEL = "popular"

/**
 * Per-customer rankings of this process, per served model. A ranking is valid while the customer's
 * history stamp is unchanged, which the request path reads every time, so a history change anywhere is
 * seen at once; rankings of the served model's customers are precomputed when the model loads, and
 * recomputed in the background when this process records new history for a customer it holds.
 */
export class CustomerRankings {
  private byModel = new Map<string, Map<string, CustomerRanking>>()
  private computing = new Map<string, Promise<CustomerRanking>>()
  private container: MedusaContainer | null = null

  /** The customer's ranking for this model and history stamp: held, or computed now. */
  async get(container: MedusaContainer, loaded: LoadedModel | null, customerId: string, stamp: string): Promise<CustomerRanking> {
    this.container = container
    const held = this.entries(loaded).get(customerId)
    if (held && held.stamp === stamp) return held
    const key = `${loaded?.id ?? NO_MODEL}|${customerId}|${stamp}`
    let pending = this.computing.get(key)
    if (!pending) {
      const service = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
      pending = service
        .customerEvents(customerId)
        .then((events) => this.store(loaded, customerId, rankCustomer(loaded, customerId, stamp, events)))
        .finally(() => this.computing.delete(key))
      this.computing.set(key, pending)
    }
    return pending
  }

  /**
   * Precomputes the rankings of the model's customers (up to MAX_RANKINGS), a batch of reads at a time
   * and yielding between customers so that requests keep being served meanwhile.
   */
  async warm(container: MedusaContainer, loaded: LoadedModel): Promise<number> {
    this.container = container
    const service = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
    const customers = loaded.artifact.model.users.slice(0, MAX_RANKINGS)
    for (let start = 0; start < customers.length; start += WARM_BATCH) {
      const ids = customers.slice(start, start + WARM_BATCH)
      // Stamps before events: a row recorded in between leaves an older stamp, so it is recomputed later.
      const stamps = await service.historyStamps(ids)
      const events = await service.customersEvents(ids)
      for (const id of ids) {
        this.store(loaded, id, rankCustomer(loaded, id, stamps.get(id)!, events.get(id)!))
        await yieldToRequests()
      }
    }
    return customers.length
  }

  /** Keeps only the rankings of this model (the one now served). */
  retain(loaded: LoadedModel | null): void {
    const keep = loaded?.id ?? NO_MODEL
    for (const id of this.byModel.keys()) if (id !== keep) this.byModel.delete(id)
  }

  /** Recomputes, in the background, the held rankings of customers whose history this process changed. */
  refresh(customerIds: string[], loaded: LoadedModel | null): void {
    const container = this.container
    const held = customerIds.filter((id) => this.entries(loaded).has(id))
    if (!container || !held.length) return
    const service = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
    void service
      .historyStamps(held)
      .then((stamps) => Promise.all(held.map((id) => this.get(container, loaded, id, stamps.get(id)!))))
      .catch(() => undefined)
  }

  forget(customerId: string): void {
    for (const entries of this.byModel.values()) entries.delete(customerId)
  }

  private entries(loaded: LoadedModel | null): Map<string, CustomerRanking> {
    const id = loaded?.id ?? NO_MODEL
    let entries = this.byModel.get(id)
    if (!entries) this.byModel.set(id, (entries = new Map()))
    return entries
  }

  private store(loaded: LoadedModel | null, customerId: string, ranking: CustomerRanking): CustomerRanking {
    const entries = this.entries(loaded)
    entries.delete(customerId)
    if (entries.size >= MAX_RANKINGS) entries.delete(entries.keys().next().value!)
    entries.set(customerId, ranking)
    return ranking
  }
}

export const customerRankings = new CustomerRankings()

/** The reason for one recommended item, computed once per ranking. */
export function reasonFor(ranking: CustomerRanking | null, item: string, loaded: LoadedModel | null, regional: Set<string>): Reason {
  let reason = ranking?.reasons.get(item)
  if (!reason) {
    reason = explain(item, ranking?.owned ?? { counts: new Map() }, loaded?.artifact ?? null, NO_REGION)
    ranking?.reasons.set(item, reason)
  }
  return reason.code === "popular" && regional.has(item) ? { ...reason, code: "popular_region" } : reason
}

const NO_REGION = new Set<string>()

/** One customer's ranking from their live history (newest first) and the model. */
export function rankCustomer(loaded: LoadedModel | null, customerId: string, stamp: string, events: CustomerEvent[]): CustomerRanking {
  const owned: OwnedHistory = { counts: purchaseCounts(events) }
  const known = Boolean(loaded && userIndexOf(loaded.artifact.model, customerId) >= 0)
  const coldStart = !known && owned.counts.size === 0
  const personal = coldStart ? [] : loaded ? modelCandidates(loaded, customerId, known, events) : historyCandidates(events)
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
function modelCandidates(loaded: LoadedModel, customerId: string, known: boolean, events: CustomerEvent[]): string[] {
  const model = loaded.artifact.model
  const dataTo = loaded.dataTo?.getTime() ?? 0
  const fresh = events.filter((e) => !known || new Date(e.occurred_at).getTime() > dataTo).map((e) => e.product_id)
  const lists: { item: string; score: number }[][] = []
  if (known) lists.push(topN(model, customerId, CANDIDATES))
  if (fresh.length) lists.push(topN(model, { items: fresh }, CANDIDATES))
  const best = new Map<string, number>()
  for (const list of lists) for (const r of list) best.set(r.item, Math.max(best.get(r.item) ?? -Infinity, r.score))
  const ranked = [...best].sort((a, b) => b[1] - a[1]).map(([id]) => id)
  return [...new Set([...ranked, ...fresh.filter((id) => !best.has(id))])]
}

function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
