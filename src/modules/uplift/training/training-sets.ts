import type { Knex } from "knex"
import type { TrainingTask } from "./training-task"
import type { Interaction } from "../../../ml/recs"
import type { RecommenderInput } from "../../../ml/training/recommender"
import { LIVE_FRAUD_FEATURES } from "../../fraud/model/features"
import { attributedOutcome } from "../../../ml/training/attribution"
import { offerTrainingRow } from "../../../ml/decision/offer-features"
import { parseArtifact } from "../../../ml/artifact/artifact"
import type { TreeEnsemble } from "../../../ml/trees/types"

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
  return { kind: "response", version, examples, champion: await activeResponseEnsemble(db) }
}

/** The active response model's trees, scored by the trainer on its validation rows (null: none, or unreadable). */
async function activeResponseEnsemble(db: Knex): Promise<TreeEnsemble | null> {
  const row = await db("uplift_model_version").where({ kind: "response", status: "active" }).whereNull("deleted_at").first("artifact")
  if (!row) return null
  try {
    return parseArtifact<TreeEnsemble>(row.artifact, { kind: "response" }).reference
  } catch {
    return null
  }
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
