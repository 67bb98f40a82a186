import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { itemIndexOf, topN } from "../ml/recs"
import { RECOMMENDATIONS_MODULE } from "../modules/recommendations"
import type RecommendationsModuleService from "../modules/recommendations/service"
import type { RecsArtifact } from "./artifact"
import type { RecommenderReference } from "../ml/training/recommender"
import { CatalogScope, ProductCard, ProductCatalog } from "./catalog"
import { historyOf } from "./history"
import { currentItemOffer } from "../workflows/discounts/item-offers/current-item-offer"
import { LoadedModel, RecsModelStore } from "./model-store"
import { RankingThread } from "./rank-thread"
import { similarRanking as similarModelRanking } from "./rank-customer"
import { CANDIDATES, CustomerRanking, CustomerRankings, reasonFor } from "./rankings"
import { Reason, ReasonCode, reasonText } from "./reasons"

export interface RecommendationRequest {
  /** From the session only; null for guests. */
  customerId: string | null
  regionId: string | null
  /** The publishable key's (or the cart's) sales channels; [] = any. */
  salesChannelIds: string[]
  /** Products already in the shopper's cart: never recommended, and the guest's cold-start seed. */
  cartProductIds: string[]
  limit: number
  /** Price items with the customer's item offer (default true). */
  withOffer?: boolean
}

export interface Recommendation {
  product_id: string
  title: string
  handle: string | null
  thumbnail: string | null
  variant_id: string | null
  /** Regular price in the region's currency (null without a region). */
  price: number | null
  currency_code: string | null
  /** What this customer pays with their personal item offer; equals price without one. */
  offer_price: number | null
  offer: { offer_id: string; discount_percent: number } | null
  reason: string
  reason_code: ReasonCode
  source_product_id: string | null
  /** Internal, not serialized by the routes. */
  cost: number | null
}

export interface RecommendationResult {
  recommendations: Recommendation[]
  /** True when the shopper has no history (guest or new customer): popularity and content only. */
  cold_start: boolean
  model_version: string | null
}

const REWARM_DELAY_MS = 1_000
const REGION_FRESH_MS = 300_000
/** Scopes (region, channels) whose product cards are warmed, at most. */
const MAX_SCOPES = 16

/**
 * What this application holds to answer recommendation requests from memory: the served model, product
 * cards, rankings and the small caches around them. One per application, owned by the recommendations
 * module service (created on first use); it hears the uplift module's history changes and erasures.
 */
class RecommendationCaches {
  readonly models = new RecsModelStore()
  readonly catalog = new ProductCatalog()
  readonly rankings = new CustomerRankings()
  /** Similar-product rankings (scope-independent) of the served model. */
  readonly similar = new Map<string, { ids: string[]; at: number; lasting: boolean }>()
  readonly popularOrders = new WeakMap<RecsArtifact, string[]>()
  popular: { at: number; ids: Promise<string[]> } | null = null
  newest: { at: number; ids: string[] } | null = null
  readonly regionCurrency = new Map<string, { currency: string | null; at: number }>()
  readonly regionReads = new Map<string, Promise<string | null>>()
  /** Scopes (region, channels) that requests came in: the ones product cards are warmed for. */
  readonly knownScopes = new Map<string, CatalogScope>()
  scopesWarming: Promise<unknown> = Promise.resolve()
  scopesPending = 0
  rewarmTimer: NodeJS.Timeout | null = null

  constructor(container: MedusaContainer) {
    this.models.prepareWith(warmRecommendations)
    const history = historyOf(container)
    history.onChanged((customerIds) => this.rankings.refresh(customerIds, this.models.served()))
    history.onErased((customerIds) => customerIds.forEach((id) => this.rankings.forget(id)))
  }
}

function cachesOf(container: MedusaContainer): RecommendationCaches {
  return container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE).serving(() => new RecommendationCaches(container))
}

/** Drops a customer's held ranking (their history was erased). */
export function forgetCustomerRecommendations(container: MedusaContainer, customerId: string): void {
  cachesOf(container).rankings.forget(customerId)
}

/**
 * Drops every product card and the newest and popular lists (catalog or stock changed), then fetches the
 * cards again in the background, once per burst of changes. Rankings stay: they do not depend on stock.
 */
export function forgetAllRecommendations(container: MedusaContainer): void {
  const caches = cachesOf(container)
  caches.newest = null
  caches.popular = null
  caches.catalog.clear()
  for (const [key, entry] of caches.similar) if (!entry.lasting) caches.similar.delete(key)
  if (!caches.rewarmTimer) {
    caches.rewarmTimer = setTimeout(() => {
      caches.rewarmTimer = null
      for (const scope of caches.knownScopes.values()) void warmCards(container, scope, caches.models.served())
    }, REWARM_DELAY_MS)
    caches.rewarmTimer.unref()
  }
}

/**
 * The products this shopper is likeliest to buy next: the hybrid model (the customer's history as
 * trained, plus purchases since folded in), or for guests and new customers popularity in their region
 * and content-similar items of their cart, labelled cold start. Only sellable products (published, in
 * the channel, in stock or not inventory-managed) are returned.
 *
 * Freshness: the customer's history stamp and item offer are read on every request (two indexed reads,
 * in parallel), so a new purchase or offer shows at once in every process; the model is checked every
 * few seconds (RecsModelStore); product cards follow the catalog cache (ProductCatalog). The ranking
 * itself and the cards come from memory, precomputed when the model loads.
 */
export async function recommendForCustomer(container: MedusaContainer, req: RecommendationRequest): Promise<RecommendationResult> {
  const caches = cachesOf(container)
  const [loaded, stamp, offer, scope] = await Promise.all([
    caches.models.get(container),
    req.customerId ? historyOf(container).historyStamps([req.customerId]).then((stamps) => stamps.get(req.customerId!)!) : Promise.resolve(null),
    req.customerId && req.withOffer !== false ? currentItemOffer(container, req.customerId).catch(() => null) : Promise.resolve(null),
    catalogScope(container, req),
  ])
  const held = req.customerId && stamp ? await caches.rankings.get(container, loaded, req.customerId, stamp) : null
  const ranking = held && !held.coldStart ? held : null
  const exclude = new Set(req.cartProductIds)
  const ranked = (await candidateIds(container, loaded, ranking, req)).filter((id) => !exclude.has(id))
  const picked = await sellable(container, scope, ranked, req.limit)
  const regional = new Set(loaded?.artifact.regionPopular[req.regionId ?? ""] ?? [])
  const reasons = picked.map((card) => reasonFor(ranking, card.id, loaded, regional))
  const title = await sourceTitles(container, scope, reasons)
  return {
    recommendations: picked.map((card, k) => withOffer(card, reasons[k], title, offer)),
    cold_start: !ranking,
    model_version: loaded?.id ?? null,
  }
}

/** Personal candidates then popularity (known customers), or the cold start's; the newest products when too few. */
async function candidateIds(
  container: MedusaContainer,
  loaded: LoadedModel | null,
  ranking: CustomerRanking | null,
  req: RecommendationRequest
): Promise<string[]> {
  const want = req.limit * 3 + 20
  const ranked = ranking ? dedupe([...ranking.personal, ...(await popularFallback(container, loaded))]) : await coldStartCandidates(container, loaded, req, want)
  // A store without sales yet still shows something: its newest products.
  if (ranked.length < want) ranked.push(...(await newest(container)).filter((id) => !ranked.includes(id)))
  return ranked
}

/** Titles of the products that reasons refer to ("Bought together with X"). */
async function sourceTitles(container: MedusaContainer, scope: CatalogScope, reasons: Reason[]): Promise<(id: string) => string | undefined> {
  const ids = reasons.map((r) => r.source_product_id).filter(Boolean) as string[]
  const cards = ids.length ? await cachesOf(container).catalog.cards(container, scope, ids) : new Map<string, ProductCard>()
  return (id) => cards.get(id)?.title || undefined
}

function withOffer(card: ProductCard, reason: Reason, title: (id: string) => string | undefined, offer: ItemOffer | null): Recommendation {
  const discount = offer && offer.product_ids.has(card.id) ? offer.percent : 0
  return {
    ...fromCard(card),
    offer_price: card.price === null ? null : Math.round(card.price * (100 - discount)) / 100,
    offer: discount ? { offer_id: offer!.offer_id, discount_percent: discount } : null,
    reason: reasonText(reason, title),
    reason_code: reason.code,
    source_product_id: reason.source_product_id,
  }
}

/** What a recommendation shows of the product card, at the regular price and without a reason yet. */
function fromCard(card: ProductCard): Omit<Recommendation, "reason" | "reason_code" | "source_product_id"> {
  return {
    product_id: card.id,
    title: card.title,
    handle: card.handle,
    thumbnail: card.thumbnail,
    variant_id: card.variant_id,
    price: card.price,
    currency_code: card.currency_code,
    offer_price: card.price,
    offer: null,
    cost: card.cost,
  }
}

type ItemOffer = NonNullable<Awaited<ReturnType<typeof currentItemOffer>>>

/** Products similar to one product: learned item embeddings plus shared category, department, brand, price band. */
export async function similarProducts(
  container: MedusaContainer,
  productId: string,
  req: Pick<RecommendationRequest, "regionId" | "salesChannelIds" | "limit">
): Promise<{ product: ProductCard | null; similar: Recommendation[]; model_version: string | null }> {
  const caches = cachesOf(container)
  const [loaded, scope] = await Promise.all([caches.models.get(container), catalogScope(container, req)])
  const product = (await caches.catalog.cards(container, scope, [productId])).get(productId) ?? null
  if (!product || !product.title) return { product: null, similar: [], model_version: loaded?.id ?? null }
  const ranked = await similarRanking(container, productId, loaded)
  const picked = await sellable(container, scope, ranked, req.limit)
  const similar = picked.map((card) => ({
    ...fromCard(card),
    reason: `Similar to ${product.title}`,
    reason_code: "similar" as const,
    source_product_id: productId,
  }))
  return { product, similar, model_version: loaded?.id ?? null }
}

/** Similar-product rankings of unknown products are re-read after a minute. */
const SIMILAR_TTL_MS = 60_000
const MAX_SIMILAR = 20_000

async function similarRanking(container: MedusaContainer, productId: string, loaded: LoadedModel | null): Promise<string[]> {
  const similarCache = cachesOf(container).similar
  const key = `${loaded?.id ?? "popular"}|${productId}`
  const hit = similarCache.get(key)
  if (hit && (hit.lasting || Date.now() - hit.at < SIMILAR_TTL_MS)) return hit.ids
  const known = Boolean(loaded && itemIndexOf(loaded.artifact.model, productId) >= 0)
  const ids = loaded
    ? similarModelRanking(loaded, known ? productId : await contentOf(container, productId))
    : dedupe([...(await sameCategory(container, productId, CANDIDATES)), ...(await popularProducts(container))]).filter((id) => id !== productId)
  if (similarCache.size >= MAX_SIMILAR) similarCache.clear()
  // A known product's neighbours depend on the model only, which never changes under its id.
  similarCache.set(key, { ids, at: Date.now(), lasting: known })
  return ids
}

/** Guests and new customers: items like those in their cart, then popular in their region, then popular. */
async function coldStartCandidates(container: MedusaContainer, loaded: LoadedModel | null, req: RecommendationRequest, want: number): Promise<string[]> {
  if (!loaded) return [...(await popularProducts(container))]
  const artifact = loaded.artifact
  const seeded = req.cartProductIds.length ? topN(artifact.model, { items: req.cartProductIds }, want).map((r) => r.item) : []
  return dedupe([...seeded, ...(artifact.regionPopular[req.regionId ?? ""] ?? []), ...popularOrder(container, artifact)])
}

function popularOrder(container: MedusaContainer, artifact: RecsArtifact): string[] {
  const popularOrders = cachesOf(container).popularOrders
  let ids = popularOrders.get(artifact)
  if (!ids) {
    const { model } = artifact
    popularOrders.set(artifact, (ids = Array.from(model.popularOrder.subarray(0, 500), (i) => model.items[i])))
  }
  return ids
}

/** What follows a customer's personal candidates: the model's popularity, or recent sales without a model. */
async function popularFallback(container: MedusaContainer, loaded: LoadedModel | null): Promise<string[]> {
  return loaded ? popularOrder(container, loaded.artifact) : popularProducts(container)
}

/** Recent best sellers (an aggregate over the history), read at most once a minute. */
function popularProducts(container: MedusaContainer): Promise<string[]> {
  const caches = cachesOf(container)
  if (!caches.popular || Date.now() - caches.popular.at > 60_000) {
    const ids = historyOf(container).popularProducts()
    caches.popular = { at: Date.now(), ids }
    ids.catch(() => (caches.popular = null))
  }
  return caches.popular.ids
}

async function newest(container: MedusaContainer): Promise<string[]> {
  const caches = cachesOf(container)
  if (!caches.newest || Date.now() - caches.newest.at > 60_000) {
    const products = await container.resolve(Modules.PRODUCT).listProducts({ status: "published" as any }, { select: ["id"], take: 200, order: { created_at: "DESC" } })
    caches.newest = { at: Date.now(), ids: products.map((p) => p.id) }
  }
  return caches.newest.ids
}

function dedupe(ids: string[]): string[] {
  return [...new Set(ids)]
}

/** The first `limit` sellable products of the ranking, fetching cards in growing slices. */
async function sellable(container: MedusaContainer, scope: CatalogScope, ranked: string[], limit: number): Promise<ProductCard[]> {
  const out: ProductCard[] = []
  let start = 0
  let size = limit * 2 + 10
  while (out.length < limit && start < ranked.length) {
    const slice = ranked.slice(start, start + size)
    const cards = await cachesOf(container).catalog.cards(container, scope, slice)
    for (const id of slice) {
      const card = cards.get(id)
      if (card?.sellable) out.push(card)
      if (out.length === limit) break
    }
    start += size
    size *= 2
  }
  return out
}

async function catalogScope(container: MedusaContainer, req: Pick<RecommendationRequest, "regionId" | "salesChannelIds">): Promise<CatalogScope> {
  const currency = req.regionId ? await currencyOf(container, req.regionId) : null
  return rememberScope(container, { regionId: currency ? req.regionId : null, currencyCode: currency, salesChannelIds: req.salesChannelIds })
}

/** The region's currency; once known, re-read in the background every few minutes (it rarely changes). */
async function currencyOf(container: MedusaContainer, regionId: string): Promise<string | null> {
  const { regionCurrency, regionReads } = cachesOf(container)
  const cached = regionCurrency.get(regionId)
  if (cached && Date.now() - cached.at < REGION_FRESH_MS) return cached.currency
  let read = regionReads.get(regionId)
  if (!read) {
    read = readCurrency(container, regionId)
      .then((currency) => (regionCurrency.set(regionId, { currency, at: Date.now() }), currency))
      .finally(() => regionReads.delete(regionId))
    regionReads.set(regionId, read)
  }
  if (!cached) return read
  read.catch(() => undefined)
  return cached.currency
}

async function readCurrency(container: MedusaContainer, regionId: string): Promise<string | null> {
  const [region] = await container.resolve(Modules.REGION).listRegions({ id: regionId }, { select: ["id", "currency_code"] })
  return region?.currency_code ?? null
}

function rememberScope(container: MedusaContainer, scope: CatalogScope): CatalogScope {
  const caches = cachesOf(container)
  const key = `${scope.regionId ?? "-"}|${[...scope.salesChannelIds].sort().join(",")}`
  if (caches.knownScopes.has(key) || caches.knownScopes.size >= MAX_SCOPES) return scope
  caches.knownScopes.set(key, scope)
  caches.scopesPending++
  const warming = warmCards(container, scope, caches.models.served()).finally(() => caches.scopesPending--)
  caches.scopesWarming = Promise.all([caches.scopesWarming, warming])
  return scope
}

/** Cards of every product the model knows (or the newest without one), so that requests read them from memory. */
async function warmCards(container: MedusaContainer, scope: CatalogScope, loaded: LoadedModel | null): Promise<void> {
  // Background work: a catalog it cannot read now (database busy or shut down) is read by the next request.
  try {
    const ids = loaded ? loaded.artifact.model.items : await newest(container)
    await cachesOf(container).catalog.warm(container, scope, ids)
  } catch {
    return
  }
}

/** Similar-product rankings precomputed per model, for up to this many sellable products. */
const MAX_SIMILAR_WARM = 5_000
const SIMILAR_BATCH = 50

/** Product pages ask for similar items of sellable products only: those are precomputed. */
async function warmSimilar(caches: RecommendationCaches, loaded: LoadedModel, thread: RankingThread): Promise<number> {
  const sellableIds = caches.catalog.sellableIds()
  const items = loaded.artifact.model.items.filter((id) => sellableIds.has(id)).slice(0, MAX_SIMILAR_WARM)
  for (let start = 0; start < items.length; start += SIMILAR_BATCH) {
    for (const [item, ids] of await thread.similar(items.slice(start, start + SIMILAR_BATCH))) {
      caches.similar.set(`${loaded.id}|${item}`, { ids, at: Date.now(), lasting: true })
    }
  }
  return items.length
}

/**
 * Before a model is served: product cards of every known scope, every model customer's ranking and the
 * similar items of every sellable product (scored in a thread), so that first requests are answered
 * from memory like repeats.
 */
async function warmRecommendations(container: MedusaContainer, loaded: LoadedModel, reference: RecommenderReference): Promise<void> {
  const started = Date.now()
  const caches = cachesOf(container)
  const thread = new RankingThread(reference, loaded.dataTo)
  try {
    await Promise.all([...caches.knownScopes.values()].map((scope) => warmCards(container, scope, loaded)))
    const cardsAt = Date.now()
    const customers = await caches.rankings.warm(container, loaded, thread)
    const rankingsAt = Date.now()
    const products = await warmSimilar(caches, loaded, thread)
    caches.rankings.retain(loaded)
    container
      .resolve("logger")
      .info(
        `medusa-uplift: recommendations model ${loaded.id} prepared in ${Date.now() - started} ms (cards of ${caches.knownScopes.size} scope(s) ${cardsAt - started} ms, ` +
          `${customers} rankings ${rankingsAt - cardsAt} ms, similar items of ${products} products ${Date.now() - rankingsAt} ms)`
      )
  } finally {
    thread.close()
  }
}

/** Resolves when this process has precomputed what the served model's requests read (benchmarks, tests). */
export function recommendationsWarm(container: MedusaContainer): Promise<unknown> {
  const caches = cachesOf(container)
  return Promise.all([caches.models.whenWarm(), caches.scopesWarming])
}

/** The model this process serves, and whether what its requests read is precomputed (operators, benchmarks). */
export function recommendationsReadiness(container: MedusaContainer): { model_version: string | null; prepared: boolean } {
  const caches = cachesOf(container)
  return { model_version: caches.models.served()?.id ?? null, prepared: caches.models.isWarm() && caches.scopesPending === 0 }
}

/** A product unknown to the model is placed by its content (category, department, brand). */
async function contentOf(container: MedusaContainer, productId: string): Promise<{ item: string; category?: string; department?: string; brand?: string }> {
  const products = container.resolve(Modules.PRODUCT)
  const [p] = await products.listProducts({ id: productId }, { relations: ["categories", "categories.parent_category", "tags"] })
  const category = (p as any)?.categories?.[0]
  return { item: productId, category: category?.name, department: category?.parent_category?.name ?? category?.name, brand: (p as any)?.tags?.[0]?.value }
}

/** Without a model: products sharing a category with this one. */
async function sameCategory(container: MedusaContainer, productId: string, want: number): Promise<string[]> {
  const products = container.resolve(Modules.PRODUCT)
  const [p] = await products.listProducts({ id: productId }, { relations: ["categories"] })
  const categoryIds = ((p as any)?.categories ?? []).map((c: any) => c.id)
  if (!categoryIds.length) return []
  const peers = await products.listProducts({ categories: { id: categoryIds } } as any, { select: ["id"], take: want })
  return peers.map((peer) => peer.id)
}
