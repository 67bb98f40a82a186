import { EventEmitter } from "events"
import type { Knex } from "knex"

/** Live history a ranking reads per customer (newest first). */
const EVENTS_PER_CUSTOMER = 200

export interface CustomerEvent {
  product_id: string
  kind: string
  quantity: number
  order_id: string | null
  occurred_at: Date
}

type Listener = (customerIds: string[]) => void

/**
 * The interaction history as its readers outside the module need it (the storefront recommender), and the
 * in-process signal that customers' history changed (rows recorded here, or erased in any process, relayed
 * from the erasure broadcast). One per uplift module service: listeners refresh what they derived from it;
 * other processes do not hear "changed" and rely on their own freshness checks (history stamps).
 */
export class InteractionHistory {
  private readonly emitter = new EventEmitter()

  constructor(private readonly db: Knex) {
    this.emitter.setMaxListeners(50)
  }

  onChanged(listener: Listener): () => void {
    this.emitter.on("changed", listener)
    return () => this.emitter.off("changed", listener)
  }

  changed(customerIds: Iterable<string | null | undefined>): void {
    const ids = [...new Set([...customerIds].filter(Boolean) as string[])]
    if (ids.length) this.emitter.emit("changed", ids)
  }

  /** Customers erased, heard in every process (the uplift service relays the erasure broadcast here). */
  onErased(listener: Listener): () => void {
    this.emitter.on("erased", listener)
    return () => this.emitter.off("erased", listener)
  }

  erased(customerIds: string[]): void {
    if (customerIds.length) this.emitter.emit("erased", customerIds)
  }

  /** Purchases with customer and product: the recommender's training set (seeded history and live events alike). */
  async trainingPurchases(): Promise<{ customer_id: string; product_id: string; order_id: string | null; quantity: number; value: number; t: number }[]> {
    return this.db("uplift_interaction")
      .where({ kind: "purchase" })
      .whereNotNull("customer_id")
      .whereNotNull("product_id")
      .whereNull("deleted_at")
      .select("customer_id", "product_id", "order_id", "quantity", "value", this.db.raw("extract(epoch from occurred_at)::float as t"))
  }

  /** The customer's latest purchases and cart lines (newest first): the live history rankings read. */
  async customerEvents(customerId: string, limit = EVENTS_PER_CUSTOMER): Promise<CustomerEvent[]> {
    return this.historyRows([customerId]).orderBy("occurred_at", "desc").limit(limit).select("product_id", "kind", "quantity", "order_id", "occurred_at")
  }

  /** The same, for many customers in one read (precomputing rankings). */
  async customersEvents(customerIds: string[], limit = EVENTS_PER_CUSTOMER): Promise<Map<string, CustomerEvent[]>> {
    const ranked = this.historyRows(customerIds).select(
      "customer_id",
      "product_id",
      "kind",
      "quantity",
      "order_id",
      "occurred_at",
      this.db.raw("row_number() over (partition by customer_id order by occurred_at desc) as n")
    )
    const rows = await this.db.from(ranked.as("h")).where("n", "<=", limit).orderBy([{ column: "customer_id" }, { column: "n" }])
    const out = new Map<string, CustomerEvent[]>(customerIds.map((id) => [id, []]))
    for (const { customer_id, n: _n, ...event } of rows) out.get(customer_id)!.push(event)
    return out
  }

  /**
   * What identifies the customer's live history as of now: any insert or deletion changes it (row count
   * and newest id; ids are time-ordered). One indexed aggregate, read on every recommendation request.
   */
  async historyStamps(customerIds: string[]): Promise<Map<string, string>> {
    const rows = await this.historyRows(customerIds).groupBy("customer_id").select("customer_id", this.db.raw("count(*)::int as n"), this.db.raw("max(id) as last"))
    const out = new Map<string, string>(customerIds.map((id) => [id, "none"]))
    for (const row of rows) out.set(row.customer_id, `${row.n}:${row.last}`)
    return out
  }

  private historyRows(customerIds: string[]) {
    return this.db("uplift_interaction")
      .whereIn("customer_id", customerIds)
      .whereIn("kind", ["purchase", "cart_item"])
      .whereNotNull("product_id")
      .whereNull("deleted_at")
  }

  /** Products by purchases in the last 90 days (the popularity fallback before any model exists). */
  async popularProducts(limit = 300): Promise<string[]> {
    const rows = await this.db("uplift_interaction")
      .where({ kind: "purchase" })
      .whereNotNull("product_id")
      .whereNull("deleted_at")
      .where("occurred_at", ">", new Date(Date.now() - 90 * 86_400_000))
      .groupBy("product_id")
      .orderByRaw("count(*) desc, product_id")
      .limit(limit)
      .select("product_id")
    return rows.map((row: any) => row.product_id)
  }
}
