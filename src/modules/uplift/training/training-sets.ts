import type { Knex } from "knex"
import type { TrainingTask } from "./training-task"
import type { Interaction } from "../../../ml/recs"
import type { RecommenderInput } from "../../../ml/training/recommender"
import { LIVE_FRAUD_FEATURES } from "../../fraud/model/features"

/** Days after a decision in which a purchase counts as its conversion. */
export const ATTRIBUTION_DAYS = 7

/** What the catalog tells the recommender: product content and sales per region (read by the caller, which sees the catalog). */
export type CatalogInputs = Pick<RecommenderInput, "items" | "regionPopular">

/** Purchases with known customer and product, from seeded history and live events alike. */
async function loadPurchases(db: Knex): Promise<Interaction[]> {
  const rows = await db("uplift_interaction")
    .where({ kind: "purchase" })
    .whereNotNull("customer_id")
    .whereNotNull("product_id")
    .whereNull("deleted_at")
    .select("customer_id", "product_id", "order_id", "quantity", "value", db.raw("extract(epoch from occurred_at)::float as t"))
  return rows.map((row: any) => ({ user: row.customer_id, item: row.product_id, basket: row.order_id ?? undefined, time: row.t, quantity: row.quantity, value: row.value }))
}

export async function loadPropensityTask(db: Knex, version: string): Promise<TrainingTask> {
  return { kind: "propensity", version, interactions: await loadPurchases(db), items: [] }
}

/** The purchases plus the catalog inputs the request carried (none: content-free, like propensity). */
export async function loadRecommenderTask(db: Knex, version: string, catalog?: CatalogInputs): Promise<TrainingTask> {
  return { kind: "recommender", version, interactions: await loadPurchases(db), items: catalog?.items ?? [], regionPopular: catalog?.regionPopular ?? {} }
}

/**
 * Logged decisions with their outcome. Point in time: the shopper's order count is counted from
 * purchases before the decision; a decision without a purchase is labelled only once its attribution
 * window has closed.
 */
export async function loadResponseTask(db: Knex, version: string): Promise<TrainingTask> {
  const converted = `exists (select 1 from uplift_interaction i where i.customer_id = d.customer_id and i.kind = 'purchase'
      and i.occurred_at >= d.created_at and i.occurred_at < d.created_at + interval '${ATTRIBUTION_DAYS} days')`
  const { rows } = await db.raw(`
    select d.created_at, d.chosen_percent, d.basket_value, coalesce((d.features->>'items')::float, 1) as items,
      (select count(distinct i.order_id) from uplift_interaction i
        where i.customer_id = d.customer_id and i.kind = 'purchase' and i.occurred_at < d.created_at)::float as orders,
      ${converted} as converted
    from uplift_offer_decision d
    where d.shadow = false and d.deleted_at is null and d."group" <> 'ineligible'
      and (${converted} or d.created_at < now() - interval '${ATTRIBUTION_DAYS} days')`)
  return {
    kind: "response",
    version,
    examples: rows.map((row: any) => ({
      orders: row.orders,
      basket_value: row.basket_value,
      items: row.items,
      discount_percent: row.chosen_percent,
      converted: row.converted ? 1 : 0,
      at: new Date(row.created_at).getTime(),
    })),
  }
}

/**
 * Labelled orders (chargebacks, manual reviews, hold releases and rejections; the latest label of an
 * order wins) with the feature row their checkout was assessed with.
 */
export async function loadFraudTask(db: Knex, version: string): Promise<TrainingTask> {
  const { rows } = await db.raw(`
    select distinct on (l.order_id) l.label, coalesce(l.features, a.features) as features, coalesce(a.created_at, l.created_at) as at
    from uplift_fraud_label l
    left join uplift_fraud_assessment a on a.id = l.assessment_id or (l.assessment_id is null and a.order_id = l.order_id)
    where l.deleted_at is null
    order by l.order_id, l.created_at desc`)
  const featureNames = [...LIVE_FRAUD_FEATURES]
  return {
    kind: "fraud",
    version,
    featureNames,
    examples: rows
      .filter((row: any) => row.features)
      .map((row: any) => ({
        row: featureNames.map((name) => Number(row.features[name] ?? 0)),
        label: row.label === "fraud" ? 1 : 0,
        at: new Date(row.at).getTime(),
      })),
  }
}
