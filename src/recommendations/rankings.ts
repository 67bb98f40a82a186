import type { MedusaContainer } from "@medusajs/framework/types"
import { historyOf } from "./history"
import type { LoadedModel } from "./model-store"
import { CustomerRanking, rankCustomer } from "./rank-customer"
import { fromThread, RankingThread } from "./rank-thread"
import { explain, Reason } from "./reasons"
import { storedStatePage, storedStates } from "./customer-states"

export { CANDIDATES } from "./rank-customer"
export type { CustomerRanking } from "./rank-customer"

/** Customers whose rankings a process keeps (per model); beyond this the least recently stored go. */
const MAX_RANKINGS = 20_000
const WARM_BATCH = 200

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
      pending = Promise.all([historyOf(container).customerEvents(customerId), storedStates(container, loaded, [customerId])])
        .then(([events, states]) => this.store(loaded, customerId, rankCustomer(loaded, customerId, stamp, events, states.get(customerId))))
        .finally(() => this.computing.delete(key))
      this.computing.set(key, pending)
    }
    return pending
  }

  /**
   * Precomputes the rankings of the model's customers (up to MAX_RANKINGS), a batch at a time: reads
   * here, scoring in the ranking thread.
   */
  async warm(container: MedusaContainer, loaded: LoadedModel, thread: RankingThread): Promise<number> {
    this.container = container
    let warmed = 0
    for await (const batch of trainedCustomers(container, loaded)) {
      await this.warmBatch(container, loaded, thread, batch)
      warmed += batch.ids.length
    }
    return warmed
  }

  private async warmBatch(container: MedusaContainer, loaded: LoadedModel, thread: RankingThread, batch: { ids: string[]; states: Map<string, Uint8Array> }): Promise<void> {
    const history = historyOf(container)
    const { ids, states } = batch
    // Stamps before events: a row recorded in between leaves an older stamp, so it is recomputed later.
    const stamps = await history.historyStamps(ids)
    const events = await history.customersEvents(ids)
    const ranked = await thread.rank(ids.map((id) => ({ id, stamp: stamps.get(id)!, events: events.get(id)!, state: states.get(id) ?? null })))
    for (const r of ranked) this.store(loaded, r.id, fromThread(r))
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
    void historyOf(container)
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

/**
 * The model's trained customers, up to MAX_RANKINGS, a batch at a time: paged from the registry's rows when
 * the model keeps its customers there (never all in memory), else from the model's own list.
 */
async function* trainedCustomers(container: MedusaContainer, loaded: LoadedModel): AsyncGenerator<{ ids: string[]; states: Map<string, Uint8Array> }> {
  if (!loaded.artifact.customerStates) {
    const customers = loaded.artifact.model.users.slice(0, MAX_RANKINGS)
    for (let start = 0; start < customers.length; start += WARM_BATCH) yield { ids: customers.slice(start, start + WARM_BATCH), states: new Map() }
    return
  }
  let after: string | null = null
  for (let warmed = 0; warmed < MAX_RANKINGS; warmed += WARM_BATCH) {
    const rows = await storedStatePage(container, loaded, after, WARM_BATCH)
    if (!rows.length) return
    after = rows[rows.length - 1].customer_id
    yield { ids: rows.map((row) => row.customer_id), states: new Map(rows.map((row) => [row.customer_id, row.state])) }
  }
}

const NO_REGION = new Set<string>()

/** The reason for one recommended item, computed once per ranking. */
export function reasonFor(ranking: CustomerRanking | null, item: string, loaded: LoadedModel | null, regional: Set<string>): Reason {
  let reason = ranking?.reasons.get(item)
  if (!reason) {
    reason = explain(item, ranking?.owned ?? { counts: new Map() }, loaded?.artifact ?? null, NO_REGION)
    ranking?.reasons.set(item, reason)
  }
  return reason.code === "popular" && regional.has(item) ? { ...reason, code: "popular_region" } : reason
}

