import type { Knex } from "knex"
import type { TrainingTask } from "./training-task"
import { PurchaseColumnsBuilder } from "../../../ml/recs/columns"
import type { PurchaseColumns } from "../../../ml/recs/columns"
import type { RecommenderInput } from "../../../ml/training/recommender"
import type { LoggedDecision } from "../../../ml/training/response"
import type { FraudTrainingSet } from "../../../ml/training/fraud"
import { ATTRIBUTION_DAYS, attributedOutcome } from "../../../ml/training/attribution"
import { offerTrainingRow } from "../../../ml/decision/offer-features"
import { parseArtifact } from "../../../ml/artifact/artifact"
import type { TreeEnsemble } from "../../../ml/trees/types"

/** What the catalog tells the recommender: product content and sales per region (read by the caller, which sees the catalog). */
export type CatalogInputs = Pick<RecommenderInput, "items" | "regionPopular">

/**
 * What a training run learns from that other modules keep, gathered by the caller through their services
 * and carried with the training job (this module reads only its own tables): the catalog (recommender),
 * the logged decisions whose attribution window has closed (response, from the discounts module), the
 * labelled orders with their checkout features (fraud, from the fraud module). Also the training job's
 * data keys, next to run_id and model.
 */
export interface TrainingInputs {
  catalog?: CatalogInputs
  decisions?: LoggedDecision[]
  labelled_orders?: FraudTrainingSet
  /**
   * Why the caller could not gather them (a module's data unreadable): the run fails with it, like a
   * training that cannot read its data, and a retry of the failed job gathers them again.
   */
  inputs_error?: string
}

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
export async function loadRecommenderTask(db: Knex, version: string, inputs: TrainingInputs = {}): Promise<TrainingTask> {
  const catalog = inputs.catalog
  return { kind: "recommender", version, purchases: await loadPurchases(db), items: catalog?.items ?? [], regionPopular: catalog?.regionPopular ?? {} }
}

/**
 * The logged decisions the request carried, each with its outcome. Point in time: the shopper's order
 * count is counted from purchases before the decision. Only decisions whose attribution window has closed
 * are labelled (attributedOutcome), converted or not, so the newest slice is not biased toward conversions.
 * Decisions of customers erased since the request are left out.
 */
export async function loadResponseTask(db: Knex, version: string, inputs: TrainingInputs = {}): Promise<TrainingTask> {
  const now = Date.now()
  const customers = [...new Set((inputs.decisions ?? []).map((decision) => decision.customer_id))]
  const [purchases, profiles, erased] = customers.length
    ? await Promise.all([
        db("uplift_interaction").where({ kind: "purchase" }).whereRaw("customer_id = any(?::text[])", [customers]).whereNull("deleted_at").select("customer_id", "order_id", "value", "occurred_at"),
        db("uplift_customer_profile").whereRaw("customer_id = any(?::text[])", [customers]).whereNull("deleted_at").select("customer_id", "signed_up_at"),
        db("uplift_erased_customer").whereRaw("customer_id = any(?::text[])", [customers]).whereNull("deleted_at").select("customer_id"),
      ])
    : [[], [], []]
  const historyOf = groupBy(
    purchases.map((row: any) => ({ customer: row.customer_id, at: new Date(row.occurred_at).getTime(), orderId: row.order_id, value: Number(row.value), categories: [] })),
    (purchase) => purchase.customer
  )
  const signedUp = new Map(profiles.map((row: any) => [row.customer_id, row.signed_up_at ? new Date(row.signed_up_at).getTime() : null]))
  const gone = new Set(erased.map((row: any) => row.customer_id as string))
  const examples = (inputs.decisions ?? []).flatMap((row) => {
    if (gone.has(row.customer_id)) return []
    const at = new Date(row.created_at).getTime()
    const history = historyOf.get(row.customer_id) ?? []
    const firstPurchaseAt = Math.min(...history.filter((purchase) => purchase.at >= at).map((purchase) => purchase.at))
    const converted = attributedOutcome(at, Number.isFinite(firstPurchaseAt) ? firstPurchaseAt : null, now, ATTRIBUTION_DAYS)
    if (converted === null) return []
    const logged = { basket_value: Number(row.basket_value), items: 1, ...(row.features ?? {}) }
    const features = offerTrainingRow({ at, features: logged }, history, signedUp.get(row.customer_id) ?? null)
    const margin = row.margin_percent === null || row.margin_percent === undefined ? null : Number(row.margin_percent)
    return [{ features, discount_percent: Number(row.chosen_percent), propensity: Number(row.propensity), converted, margin_percent: margin, at }]
  })
  return { kind: "response", version, examples, ...(await activeResponseModel(db)) }
}

/**
 * The active response model's trees and its latest training decision, scored by the trainer on its validation
 * rows (none: no active model, or unreadable).
 */
async function activeResponseModel(db: Knex): Promise<{ champion: TreeEnsemble | null; championTrainedTo?: number }> {
  const row = await db("uplift_model_version").where({ kind: "response", status: "active" }).whereNull("deleted_at").first("artifact")
  if (!row) return { champion: null }
  try {
    const artifact = parseArtifact<TreeEnsemble>(row.artifact, { kind: "response" })
    const trainedTo = Date.parse(artifact.trainedOn?.to ?? "")
    return { champion: artifact.reference, ...(Number.isFinite(trainedTo) ? { championTrainedTo: trainedTo } : {}) }
  } catch {
    return { champion: null }
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

/** The labelled orders the request carried, as the fraud module built them (none: waiting for data). */
export async function loadFraudTask(_db: Knex, version: string, inputs: TrainingInputs = {}): Promise<TrainingTask> {
  const set = inputs.labelled_orders
  return { kind: "fraud", version, featureNames: set?.featureNames ?? [], examples: set?.examples ?? [] }
}
