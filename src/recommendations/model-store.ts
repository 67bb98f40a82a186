import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { ItemContent } from "../ml/recs"
import type { RecommenderReference } from "../ml/training/recommender"
import { upliftService } from "../ingestion/enqueue"
import type { CatalogInputs } from "../modules/uplift/training/training-sets"
import { recsArtifactOf, RecsArtifact } from "./artifact"

/** How often a process looks for a newly activated recommender in the registry. */
const CHECK_MS = 5_000
const REGION_ORDERS = 5_000

export interface LoadedModel {
  id: string
  artifact: RecsArtifact
  dataTo: Date | null
}

/**
 * The served recommender of this process: the active "recommender" version of the uplift model registry,
 * swapped within seconds when another version is activated (a newer champion, or a rollback). Training is
 * the registry's (scheduled, or POST /admin/ml/training-runs); without an active version callers serve
 * popularity.
 */
export class RecsModelStore {
  private current: LoadedModel | null = null
  private checkedAt = 0
  private loading: Promise<void> | null = null
  private prepare: ((container: MedusaContainer, model: LoadedModel, reference: RecommenderReference) => Promise<void>) | null = null
  private warming: Promise<void> = Promise.resolve()
  private warm = true

  /**
   * Work to do with each newly loaded model before it is served (precomputing what requests read). A
   * process's first model is served at once and prepared in the background; a later one is prepared
   * while the previous one is still served, then swapped in.
   */
  prepareWith(prepare: (container: MedusaContainer, model: LoadedModel, reference: RecommenderReference) => Promise<void>): void {
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

  /** Forget the loaded model (tests; erasure). */
  reset(): void {
    this.current = null
    this.checkedAt = 0
  }

  private async check(container: MedusaContainer): Promise<void> {
    const registry = upliftService(container).registry
    const activeId = await registry.activeVersionId("recommender")
    if (!activeId) this.current = null
    if (!activeId || activeId === this.current?.id) return
    let next: LoadedModel
    let reference: RecommenderReference
    try {
      const active = await registry.activeModel<RecommenderReference>("recommender")
      if (!active) return // its artifact fails validation: the current model stays
      reference = active.artifact.reference
      next = { id: active.id, artifact: recsArtifactOf(reference), dataTo: active.dataTo }
    } catch (error) {
      container.resolve("logger").warn(`medusa-uplift: recommendations model ${activeId} not loaded: ${(error as Error).message}`)
      return
    }
    const prepared = this.prepareModel(container, next, reference)
    if (this.current) await prepared
    this.current = next
    this.warming = prepared
    this.warm = false
    void prepared.then(() => {
      if (this.warming === prepared) this.warm = true
    })
  }

  private prepareModel(container: MedusaContainer, model: LoadedModel, reference: RecommenderReference): Promise<void> {
    if (!this.prepare) return Promise.resolve()
    return this.prepare(container, model, reference).catch((error) => {
      container.resolve("logger").warn(`medusa-uplift: recommendations model ${model.id} not prepared: ${(error as Error).message}`)
    })
  }
}

/**
 * What the recommender learns from the catalog, read where the catalog is visible (query.graph): product
 * content (categories, tags, price) and regional popularity from recent orders. Every request for a
 * recommender training carries it (the registry's module cannot read the catalog itself).
 */
export async function recommenderCatalog(container: MedusaContainer): Promise<CatalogInputs> {
  const [items, regionPopular] = await Promise.all([productContent(container), regionPopularity(container)])
  return { items, regionPopular }
}

/**
 * Trains a recommender now through the registry (seeds, tests, benchmarks) and resolves to the id of the
 * version it produced when that version is active, else null (too little data, or a worse challenger).
 */
export async function trainRecommendationModel(container: MedusaContainer): Promise<string | null> {
  const run = await upliftService(container).registry.trainNow("recommender", { catalog: await recommenderCatalog(container) })
  return run.outcome === "active" ? run.model_version_id : null
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
