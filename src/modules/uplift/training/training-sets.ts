import type { Knex } from "knex"
import type { TrainingTask } from "./training-task"
import { LIVE_FRAUD_FEATURES } from "../../fraud/model/features"
import { attributedOutcome } from "../../../ml/training/attribution"

/** Days after a decision in which a purchase counts as its conversion. */
export const ATTRIBUTION_DAYS = 7

/** Purchases with known customer and product, from seeded history and live events alike. */
export async function loadPropensityTask(db: Knex, version: string): Promise<TrainingTask> {
  const rows = await db("uplift_interaction")
    .where({ kind: "purchase" })
    .whereNotNull("customer_id")
    .whereNotNull("product_id")
    .whereNull("deleted_at")
    .select("customer_id", "product_id", "order_id", "quantity", "value", db.raw("extract(epoch from occurred_at)::float as t"))
  return {
    kind: "propensity",
    version,
    interactions: rows.map((row: any) => ({ user: row.customer_id, item: row.product_id, basket: row.order_id ?? undefined, time: row.t, quantity: row.quantity, value: row.value })),
    items: [],
  }
}

/**
 * Logged decisions with their outcome. Point in time: the shopper's order count is counted from
 * purchases before the decision. Only decisions whose attribution window has closed are labelled
 * (attributedOutcome), converted or not, so the newest slice is not biased toward conversions.
 */
export async function loadResponseTask(db: Knex, version: string, now: Date = new Date()): Promise<TrainingTask> {
  const { rows } = await db.raw(
    `
    select d.created_at, d.chosen_percent, d.basket_value, coalesce((d.features->>'items')::float, 1) as items,
      (select count(distinct i.order_id) from uplift_interaction i
        where i.customer_id = d.customer_id and i.kind = 'purchase' and i.occurred_at < d.created_at)::float as orders,
      (select min(i.occurred_at) from uplift_interaction i
        where i.customer_id = d.customer_id and i.kind = 'purchase' and i.occurred_at >= d.created_at) as first_purchase_at
    from uplift_offer_decision d
    where d.shadow = false and d.deleted_at is null and d."group" <> 'ineligible'
      and d.created_at < ?::timestamptz - interval '${ATTRIBUTION_DAYS} days'`,
    [now]
  )
  const examples = rows.flatMap((row: any) => {
    const at = new Date(row.created_at).getTime()
    const converted = attributedOutcome(at, row.first_purchase_at ? new Date(row.first_purchase_at).getTime() : null, now.getTime(), ATTRIBUTION_DAYS)
    if (converted === null) return []
    return [{ orders: row.orders, basket_value: row.basket_value, items: row.items, discount_percent: row.chosen_percent, converted, at }]
  })
  return { kind: "response", version, examples }
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
