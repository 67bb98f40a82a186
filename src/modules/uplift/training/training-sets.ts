import type { Knex } from "knex"
import type { TrainingTask } from "./training-task"
import { PurchaseColumnsBuilder } from "../../../ml/recs/columns"
import type { PurchaseColumns } from "../../../ml/recs/columns"
import type { RecommenderInput } from "../../../ml/training/recommender"
import { LIVE_FRAUD_FEATURES } from "../../fraud/model/features"
import { attributedOutcome } from "../../../ml/training/attribution"
import { offerTrainingRow } from "../../../ml/decision/offer-features"

/** Days after a decision in which a purchase counts as its conversion. */
export const ATTRIBUTION_DAYS = 7

/** What the catalog tells the recommender: product content and sales per region (read by the caller, which sees the catalog). */
export type CatalogInputs = Pick<RecommenderInput, "items" | "regionPopular">

/** Rows read per page when loading purchases: the pages' row objects are let go as the columns fill. */
const PURCHASE_PAGE = 100_000

/**
 * Purchases with known customer and product, from seeded history and live events alike, in the order the
 * table yields them (as a plain read would: the trainers' results depend on it), fetched through a cursor a
 * page at a time into columns (see PurchaseColumns): a million customers' purchases are never held as row
 * objects at once.
 */
export async function loadPurchases(db: Knex, pageSize = PURCHASE_PAGE): Promise<PurchaseColumns> {
  const columns = new PurchaseColumnsBuilder()
  const { sql, bindings } = db("uplift_interaction")
    .where({ kind: "purchase" })
    .whereNotNull("customer_id")
    .whereNotNull("product_id")
    .whereNull("deleted_at")
    .select("customer_id", "product_id", "order_id", "quantity", "value", db.raw("extract(epoch from occurred_at)::float as t"))
    .toSQL()
  await db.transaction(async (trx) => {
    await trx.raw(`declare uplift_training_purchases no scroll cursor for ${sql}`, bindings as any[])
    for (;;) {
      const { rows } = await trx.raw(`fetch ${Math.floor(pageSize)} from uplift_training_purchases`)
      for (const row of rows) columns.add(row.customer_id, row.product_id, row.order_id, row.t, Number(row.quantity), Number(row.value))
      if (rows.length < pageSize) break
    }
    await trx.raw("close uplift_training_purchases")
  })
  return columns.build()
}

export async function loadPropensityTask(db: Knex, version: string): Promise<TrainingTask> {
  return { kind: "propensity", version, purchases: await loadPurchases(db), items: [] }
}

/** The purchases plus the catalog inputs the request carried (none: content-free, like propensity). */
export async function loadRecommenderTask(db: Knex, version: string, catalog?: CatalogInputs): Promise<TrainingTask> {
  return { kind: "recommender", version, purchases: await loadPurchases(db), items: catalog?.items ?? [], regionPopular: catalog?.regionPopular ?? {} }
}

/**
 * Logged decisions with their outcome. Point in time: the shopper's order count is counted from
 * purchases before the decision. Only decisions whose attribution window has closed are labelled
 * (attributedOutcome), converted or not, so the newest slice is not biased toward conversions.
 */
export async function loadResponseTask(db: Knex, version: string): Promise<TrainingTask> {
  const now = new Date()
  const decisions = await db("uplift_offer_decision as d")
    .where({ "d.shadow": false })
    .whereNull("d.deleted_at")
    .whereNot("d.group", "ineligible")
    .where("d.created_at", "<", new Date(now.getTime() - ATTRIBUTION_DAYS * 86_400_000))
    .select("d.customer_id", "d.created_at", "d.chosen_percent", "d.propensity", "d.basket_value", "d.features")
  const customers = db("uplift_offer_decision").distinct("customer_id").whereNull("deleted_at")
  const [purchases, profiles] = await Promise.all([
    db("uplift_interaction").where({ kind: "purchase" }).whereIn("customer_id", customers).whereNull("deleted_at").select("customer_id", "order_id", "value", "occurred_at"),
    db("uplift_customer_profile").whereIn("customer_id", customers).whereNull("deleted_at").select("customer_id", "signed_up_at"),
  ])
  const historyOf = groupBy(
    purchases.map((row: any) => ({ customer: row.customer_id, at: new Date(row.occurred_at).getTime(), orderId: row.order_id, value: Number(row.value), categories: [] })),
    (purchase) => purchase.customer
  )
  const signedUp = new Map(profiles.map((row: any) => [row.customer_id, row.signed_up_at ? new Date(row.signed_up_at).getTime() : null]))
  const examples = decisions.flatMap((row: any) => {
    const at = new Date(row.created_at).getTime()
    const history = historyOf.get(row.customer_id) ?? []
    const firstPurchaseAt = Math.min(...history.filter((purchase) => purchase.at >= at).map((purchase) => purchase.at))
    const converted = attributedOutcome(at, Number.isFinite(firstPurchaseAt) ? firstPurchaseAt : null, now.getTime(), ATTRIBUTION_DAYS)
    if (converted === null) return []
    const logged = { basket_value: Number(row.basket_value), items: 1, ...(row.features ?? {}) }
    const features = offerTrainingRow({ at, features: logged }, history, signedUp.get(row.customer_id) ?? null)
    return [{ features, discount_percent: Number(row.chosen_percent), propensity: Number(row.propensity), converted, at }]
  })
  return { kind: "response", version, examples }
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const group = groups.get(key(row))
    if (group) group.push(row)
    else groups.set(key(row), [row])
  }
  return groups
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
