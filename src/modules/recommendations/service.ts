import { generateEntityId, MedusaService } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { ItemOfferTarget } from "./models/item-offer-target"

type InjectedDependencies = { __pg_connection__: Knex }

const TARGETS = "uplift_item_offer_target"
/** Live history a ranking reads per customer (newest first). */
const EVENTS_PER_CUSTOMER = 200

export interface CustomerEvent {
  product_id: string
  kind: string
  quantity: number
  order_id: string | null
  occurred_at: Date
}

/**
 * Storage of the storefront recommender: item-offer targets and the reads that serving needs from the
 * interaction history. Trained recommenders are versions in the uplift model registry (kind "recommender").
 */
class RecommendationsModuleService extends MedusaService({ ItemOfferTarget }) {
  protected readonly db_: Knex

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.db_ = deps.__pg_connection__
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
      this.db_.raw("row_number() over (partition by customer_id order by occurred_at desc) as n")
    )
    const rows = await this.db_.from(ranked.as("h")).where("n", "<=", limit).orderBy([{ column: "customer_id" }, { column: "n" }])
    const out = new Map<string, CustomerEvent[]>(customerIds.map((id) => [id, []]))
    for (const { customer_id, n: _n, ...event } of rows) out.get(customer_id)!.push(event)
    return out
  }

  /**
   * What identifies the customer's live history as of now: any insert or deletion changes it (row count
   * and newest id; ids are time-ordered). One indexed aggregate, read on every recommendation request.
   */
  async historyStamps(customerIds: string[]): Promise<Map<string, string>> {
    const rows = await this.historyRows(customerIds).groupBy("customer_id").select("customer_id", this.db_.raw("count(*)::int as n"), this.db_.raw("max(id) as last"))
    const out = new Map<string, string>(customerIds.map((id) => [id, "none"]))
    for (const row of rows) out.set(row.customer_id, `${row.n}:${row.last}`)
    return out
  }

  private historyRows(customerIds: string[]) {
    return this.db_("uplift_interaction")
      .whereIn("customer_id", customerIds)
      .whereIn("kind", ["purchase", "cart_item"])
      .whereNotNull("product_id")
      .whereNull("deleted_at")
  }

  /** Products by purchases in the last 90 days (the popularity fallback before any model exists). */
  async popularProducts(limit = 300): Promise<string[]> {
    const rows = await this.db_("uplift_interaction")
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

  async saveItemTargets(input: { offer_id: string; customer_id: string; discount_percent: number; product_ids: string[]; expected?: Record<string, number> }): Promise<void> {
    await this.db_(TARGETS)
      .insert({ id: newId("uitgt"), ...input, product_ids: JSON.stringify(input.product_ids), expected: input.expected ? JSON.stringify(input.expected) : null })
      .onConflict("offer_id")
      .merge()
  }

  async itemTargets(offerId: string): Promise<string[] | null> {
    const row = await this.db_(TARGETS).where({ offer_id: offerId }).whereNull("deleted_at").first("product_ids")
    return row ? (row.product_ids as string[]) : null
  }

  async eraseCustomer(customerId: string): Promise<void> {
    await this.db_(TARGETS).where({ customer_id: customerId }).delete()
  }
}

function newId(prefix: string): string {
  return generateEntityId(undefined, prefix)
}

export default RecommendationsModuleService
