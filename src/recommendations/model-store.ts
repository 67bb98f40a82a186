import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Interaction, ItemContent } from "../ml/recs"
import { RECOMMENDATIONS_MODULE } from "../modules/recommendations"
import type RecommendationsModuleService from "../modules/recommendations/service"
import { parseArtifact, RecsArtifact } from "./artifact"
import { historyOf } from "./history"
import { trainInThread } from "./train-thread"

/** How often a process looks for a newer model in the table. */
const CHECK_MS = 5_000
/** A model older than this is retrained in the background on next use (UPLIFT_RECS_RETRAIN_HOURS). */
const RETRAIN_MS = Number(process.env.UPLIFT_RECS_RETRAIN_HOURS ?? 24) * 3_600_000
const MIN_PURCHASES = 5
const REGION_ORDERS = 5_000

export interface LoadedModel {
  id: string
  artifact: RecsArtifact
  dataTo: Date | null
}

/**
 * The served recommender of this process. The newest finished model in `uplift_recs_model` is loaded
 * (and swapped when another process trains a newer one); when there is none, or it is stale, training
 * starts in the background (worker thread; one process at a time), and callers serve popularity meanwhile.
 */
export class RecsModelStore {
  private current: LoadedModel | null = null
  private checkedAt = 0
  private loading: Promise<void> | null = null
  private training: Promise<string | null> | null = null
  private prepare: ((container: MedusaContainer, model: LoadedModel, artifact: string) => Promise<void>) | null = null
  private warming: Promise<void> = Promise.resolve()
  private warm = true

  /**
   * Work to do with each newly loaded model before it is served (precomputing what requests read). A
   * process's first model is served at once and prepared in the background; a later one is prepared
   * while the previous one is still served, then swapped in.
   */
  prepareWith(prepare: (container: MedusaContainer, model: LoadedModel, artifact: string) => Promise<void>): void {
    this.prepare = prepare
  }

  /** Resolves when the served model's preparation has finished. */
  whenWarm(): Promise<void> {
    return this.warming
  }

  /** Whether the served model's preparation has finished. */
  isWarm(): boolean {
    return this.warm
  }

  /** The model to serve now, or null (cold start). Never trains in the caller's path. */
  async get(container: MedusaContainer): Promise<LoadedModel | null> {
    if (Date.now() - this.checkedAt < CHECK_MS) return this.current
    this.checkedAt = Date.now()
    this.loading ??= this.check(container).finally(() => (this.loading = null))
    // The first load of a process waits for it (parse only); later swaps happen in the background.
    if (!this.current) await this.loading
    return this.current
  }

  /** The model served now, without checking for a newer one. */
  served(): LoadedModel | null {
    return this.current
  }

  /** Trains a model now (background callers ignore the promise); resolves to the new id or null. */
  train(container: MedusaContainer): Promise<string | null> {
    this.training ??= trainRecommendationModel(container)
      .catch((error) => {
        container.resolve("logger").warn(`medusa-uplift: recommendations training failed: ${(error as Error).message}`)
        return null
      })
      .finally(() => {
        this.training = null
        this.checkedAt = 0
      })
    return this.training
  }

  /** Forget the loaded model (tests; erasure). */
  reset(): void {
    this.current = null
    this.checkedAt = 0
  }

  private async check(container: MedusaContainer): Promise<void> {
    const service = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
    const meta = await service.latestReadyModel()
    if (!meta || Date.now() - new Date(meta.created_at).getTime() > RETRAIN_MS) void this.train(container)
    if (!meta) this.current = null
    if (!meta || meta.id === this.current?.id) return
    const text = await service.modelArtifact(meta.id)
    if (!text) return
    let next: LoadedModel
    try {
      next = { id: meta.id, artifact: parseArtifact(text), dataTo: meta.data_to ? new Date(meta.data_to) : null }
    } catch (error) {
      container.resolve("logger").warn(`medusa-uplift: recommendations model ${meta.id} not loaded: ${(error as Error).message}`)
      return
    }
    const prepared = this.prepareModel(container, next, text)
    if (this.current) await prepared
    this.current = next
    this.warming = prepared
    this.warm = false
    void prepared.then(() => {
      if (this.warming === prepared) this.warm = true
    })
  }

  private prepareModel(container: MedusaContainer, model: LoadedModel, artifact: string): Promise<void> {
    if (!this.prepare) return Promise.resolve()
    return this.prepare(container, model, artifact).catch((error) => {
      container.resolve("logger").warn(`medusa-uplift: recommendations model ${model.id} not prepared: ${(error as Error).message}`)
    })
  }
}

/**
 * One training: purchases from the interaction history, product content (categories, tags, price) from
 * the catalog, regional popularity from recent orders; fitted in a worker thread and stored as a new
 * `ready` model. Returns its id, or null when another process is already training or data is too thin.
 */
export async function trainRecommendationModel(container: MedusaContainer): Promise<string | null> {
  const service = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
  const rows = await historyOf(container).trainingPurchases()
  if (rows.length < MIN_PURCHASES) return null
  const id = await service.claimTraining()
  if (!id) return null
  const started = Date.now()
  try {
    const interactions: Interaction[] = rows.map((row) => ({
      user: row.customer_id,
      item: row.product_id,
      basket: row.order_id ?? undefined,
      time: row.t,
      quantity: row.quantity,
      value: row.value,
    }))
    const [items, regionPopular] = await Promise.all([productContent(container), regionPopularity(container)])
    const artifact = await trainInThread({ interactions, items, regionPopular })
    const last = rows.reduce((max, row) => Math.max(max, row.t), 0)
    await service.finishTraining(id, artifact, {
      interactions: rows.length,
      customers: new Set(rows.map((row) => row.customer_id)).size,
      products: new Set(rows.map((row) => row.product_id)).size,
      data_to: last ? new Date(last * 1000) : null,
      train_ms: Date.now() - started,
    })
    return id
  } catch (error) {
    await service.failTraining(id, (error as Error).message)
    throw error
  }
}

/** Department (parent category), category, brand (first tag) and lowest price of every product. */
async function productContent(container: MedusaContainer): Promise<ItemContent[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const out: ItemContent[] = []
  const take = 500
  for (let skip = 0; ; skip += take) {
    const { data } = await query.graph({
      entity: "product",
      fields: ["id", "categories.name", "categories.parent_category.name", "tags.value", "variants.prices.amount"],
      pagination: { skip, take },
    })
    for (const p of data as any[]) {
      const category = p.categories?.[0]
      const prices = (p.variants ?? []).flatMap((v: any) => (v.prices ?? []).map((price: any) => Number(price.amount))).filter(Number.isFinite)
      out.push({
        item: p.id,
        category: category?.name ?? undefined,
        department: category?.parent_category?.name ?? category?.name ?? undefined,
        brand: p.tags?.[0]?.value ?? undefined,
        price: prices.length ? Math.min(...prices) : undefined,
      })
    }
    if (data.length < take) break
  }
  return out
}

/** Products by units sold in each region, from the latest orders. */
async function regionPopularity(container: MedusaContainer): Promise<Record<string, string[]>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["region_id", "items.product_id", "items.quantity"],
    pagination: { take: REGION_ORDERS, order: { created_at: "DESC" } },
  })
  const counts = new Map<string, Map<string, number>>()
  for (const order of data as any[]) {
    if (!order.region_id) continue
    let row = counts.get(order.region_id)
    if (!row) counts.set(order.region_id, (row = new Map()))
    for (const item of order.items ?? []) {
      if (item?.product_id) row.set(item.product_id, (row.get(item.product_id) ?? 0) + Number(item.quantity ?? 1))
    }
  }
  return Object.fromEntries([...counts].map(([region, row]) => [region, [...row].sort((a, b) => b[1] - a[1]).slice(0, 200).map(([id]) => id)]))
}
