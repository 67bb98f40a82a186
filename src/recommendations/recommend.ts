import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { similarItems, topN, userIndexOf } from "../ml/recs"
import { RECOMMENDATIONS_MODULE } from "../modules/recommendations"
import type RecommendationsModuleService from "../modules/recommendations/service"
import type { RecsArtifact } from "./artifact"
import { CatalogScope, ProductCard, productCatalog } from "./catalog"
import { currentItemOffer } from "./item-offers"
import { LoadedModel, recsModelStore } from "./model-store"
import { explain, OwnedHistory, ReasonCode, reasonText } from "./reasons"

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

const RESULT_TTL_MS = 60_000
const MAX_RESULTS = 20_000
const resultCache = new Map<string, { at: number; value: RecommendationResult }>()

/** Drops a customer's cached recommendations (their history changed). */
export function forgetCustomerRecommendations(customerId: string): void {
  const prefix = `${customerId}|`
  for (const key of resultCache.keys()) if (key.startsWith(prefix)) resultCache.delete(key)
}

/** Drops every cached result and product card (catalog or stock changed). */
export function forgetAllRecommendations(): void {
  resultCache.clear()
  newestCache = null
  productCatalog.clear()
}

/**
 * The products this shopper is likeliest to buy next: the hybrid model (the customer's history as
 * trained, plus purchases since folded in), or for guests and new customers popularity in their region
 * and content-similar items of their cart, labelled cold start. Only sellable products (published, in
 * the channel, in stock or not inventory-managed) are returned. Results are cached per customer and
 * refreshed when the model or the customer's history changes (both are in the cache key).
 */
export async function recommendForCustomer(container: MedusaContainer, req: RecommendationRequest): Promise<RecommendationResult> {
  const service = container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE)
  const [loaded, events, offer, scope] = await Promise.all([
    recsModelStore.get(container),
    req.customerId ? service.customerEvents(req.customerId) : Promise.resolve([]),
    req.customerId && req.withOffer !== false ? currentItemOffer(container, req.customerId).catch(() => null) : Promise.resolve(null),
    catalogScope(container, req),
  ])
  const stamp = events.length ? `${new Date(events[0].occurred_at).getTime()}:${events.length}` : "none"
  const key = [req.customerId ?? "guest", loaded?.id ?? "popular", stamp, offer?.offer_id ?? "", req.regionId ?? "", [...scope.salesChannelIds].sort().join(","), [...req.cartProductIds].sort().join(","), req.limit].join("|")
  const hit = resultCache.get(key)
  if (hit && Date.now() - hit.at < RESULT_TTL_MS) return hit.value

  const owned: OwnedHistory = { counts: purchaseCounts(events) }
  const known = Boolean(req.customerId && loaded && userIndexOf(loaded.artifact.model, req.customerId) >= 0)
  const coldStart = !known && owned.counts.size === 0
  const exclude = new Set(req.cartProductIds)
  const want = req.limit * 3 + 20
  const ranked: string[] = coldStart
    ? await coldStartCandidates(service, loaded, req, want)
    : await personalCandidates(service, loaded, req.customerId!, known, events, want)

  // A store without sales yet still shows something: its newest products.
  if (ranked.length < want) ranked.push(...(await newest(container)).filter((id) => !ranked.includes(id)))
  const regional = new Set(loaded?.artifact.regionPopular[req.regionId ?? ""] ?? [])
  const picked = await sellable(container, scope, ranked.filter((id) => !exclude.has(id)), req.limit)
  const reasons = picked.map((card) => explain(card.id, owned, loaded?.artifact ?? null, regional))
  const sourceIds = reasons.map((r) => r.source_product_id).filter(Boolean) as string[]
  const sourceCards = sourceIds.length ? await productCatalog.cards(container, scope, sourceIds) : new Map<string, ProductCard>()
  const title = (id: string) => sourceCards.get(id)?.title || undefined

  const recommendations = picked.map((card, k) => {
    const discount = offer && offer.product_ids.has(card.id) ? offer.percent : 0
    return {
      product_id: card.id,
      title: card.title,
      handle: card.handle,
      thumbnail: card.thumbnail,
      variant_id: card.variant_id,
      price: card.price,
      currency_code: card.currency_code,
      offer_price: card.price === null ? null : Math.round(card.price * (100 - discount)) / 100,
      offer: discount ? { offer_id: offer!.offer_id, discount_percent: discount } : null,
      reason: reasonText(reasons[k], title),
      reason_code: reasons[k].code,
      source_product_id: reasons[k].source_product_id,
      cost: card.cost,
    }
  })
  const value: RecommendationResult = { recommendations, cold_start: coldStart, model_version: loaded?.id ?? null }
  if (resultCache.size > MAX_RESULTS) resultCache.clear()
  resultCache.set(key, { at: Date.now(), value })
  return value
}

/** Products similar to one product: learned item embeddings plus shared category, department, brand, price band. */
export async function similarProducts(
  container: MedusaContainer,
  productId: string,
  req: Pick<RecommendationRequest, "regionId" | "salesChannelIds" | "limit">
): Promise<{ product: ProductCard | null; similar: Recommendation[]; model_version: string | null }> {
  const [loaded, scope] = await Promise.all([recsModelStore.get(container), catalogScope(container, req)])
  const key = ["similar", productId, loaded?.id ?? "popular", req.regionId ?? "", [...scope.salesChannelIds].sort().join(","), req.limit].join("|")
  const hit = resultCache.get(key)
  const [product] = [(await productCatalog.cards(container, scope, [productId])).get(productId) ?? null]
  if (!product || !product.title) return { product: null, similar: [], model_version: loaded?.id ?? null }
  if (hit && Date.now() - hit.at < RESULT_TTL_MS) return { product, similar: hit.value.recommendations, model_version: loaded?.id ?? null }
  const want = req.limit * 3 + 20
  const ranked = loaded ? similarItems(loaded.artifact.model, await contentOf(container, productId, loaded), want).map((r) => r.item) : dedupe([...(await sameCategory(container, productId, want)), ...(await container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE).popularProducts())])
  const picked = await sellable(container, scope, ranked.filter((id) => id !== productId), req.limit)
  const similar = picked.map((card) => ({
    product_id: card.id,
    title: card.title,
    handle: card.handle,
    thumbnail: card.thumbnail,
    variant_id: card.variant_id,
    price: card.price,
    currency_code: card.currency_code,
    offer_price: card.price,
    offer: null,
    reason: `Similar to ${product.title}`,
    reason_code: "similar" as const,
    source_product_id: productId,
    cost: card.cost,
  }))
  resultCache.set(key, { at: Date.now(), value: { recommendations: similar, cold_start: false, model_version: loaded?.id ?? null } })
  return { product, similar, model_version: loaded?.id ?? null }
}

/** Purchases per product (distinct orders) from the customer's live history. */
function purchaseCounts(events: { product_id: string; kind: string; order_id: string | null; occurred_at: Date }[]): Map<string, number> {
  const seen = new Map<string, Set<string>>()
  for (const e of events) {
    if (e.kind !== "purchase") continue
    let baskets = seen.get(e.product_id)
    if (!baskets) seen.set(e.product_id, (baskets = new Set()))
    baskets.add(e.order_id ?? String(new Date(e.occurred_at).getTime()))
  }
  return new Map([...seen].map(([id, baskets]) => [id, baskets.size]))
}

/**
 * Known customers: the model's ranking of their trained history, merged with a ranking of their live
 * purchases since (folded in as a new customer's items). Without a model: how often and how recently
 * they bought each product, then popularity.
 */
async function personalCandidates(
  service: RecommendationsModuleService,
  loaded: LoadedModel | null,
  customerId: string,
  known: boolean,
  events: { product_id: string; kind: string; occurred_at: Date }[],
  want: number
): Promise<string[]> {
  if (!loaded) {
    const score = new Map<string, number>()
    const newest = events.length ? new Date(events[0].occurred_at).getTime() : 0
    for (const e of events) {
      const age = (newest - new Date(e.occurred_at).getTime()) / 86_400_000
      const weight = (e.kind === "purchase" ? 1 : 0.3) * Math.exp(-age / 60)
      score.set(e.product_id, (score.get(e.product_id) ?? 0) + weight)
    }
    const personal = [...score].sort((a, b) => b[1] - a[1]).map(([id]) => id)
    return dedupe([...personal, ...(await service.popularProducts())])
  }
  const model = loaded.artifact.model
  const dataTo = loaded.dataTo?.getTime() ?? 0
  const fresh = events.filter((e) => !known || new Date(e.occurred_at).getTime() > dataTo).map((e) => e.product_id)
  const lists: { item: string; score: number }[][] = []
  if (known) lists.push(topN(model, customerId, want))
  if (fresh.length) lists.push(topN(model, { items: fresh }, want))
  const best = new Map<string, number>()
  for (const list of lists) for (const r of list) best.set(r.item, Math.max(best.get(r.item) ?? -Infinity, r.score))
  const ranked = [...best].sort((a, b) => b[1] - a[1]).map(([id]) => id)
  // Products bought live but unknown to the model (new catalog items) keep a place by frequency.
  const unknown = fresh.filter((id) => !best.has(id))
  return dedupe([...ranked, ...unknown, ...popularOrder(loaded.artifact)])
}

/** Guests and new customers: items like those in their cart, then popular in their region, then popular. */
async function coldStartCandidates(service: RecommendationsModuleService, loaded: LoadedModel | null, req: RecommendationRequest, want: number): Promise<string[]> {
  if (!loaded) return service.popularProducts()
  const artifact = loaded.artifact
  const seeded = req.cartProductIds.length ? topN(artifact.model, { items: req.cartProductIds }, want).map((r) => r.item) : []
  return dedupe([...seeded, ...(artifact.regionPopular[req.regionId ?? ""] ?? []), ...popularOrder(artifact)])
}

function popularOrder(artifact: RecsArtifact): string[] {
  const { model } = artifact
  return Array.from(model.popularOrder.subarray(0, 500), (i) => model.items[i])
}

let newestCache: { at: number; ids: string[] } | null = null

async function newest(container: MedusaContainer): Promise<string[]> {
  if (!newestCache || Date.now() - newestCache.at > 60_000) {
    const products = await container.resolve(Modules.PRODUCT).listProducts({ status: "published" as any }, { select: ["id"], take: 200, order: { created_at: "DESC" } })
    newestCache = { at: Date.now(), ids: products.map((p) => p.id) }
  }
  return newestCache.ids
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
    const cards = await productCatalog.cards(container, scope, slice)
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

const regionCurrency = new Map<string, { currency: string | null; at: number }>()

async function catalogScope(container: MedusaContainer, req: Pick<RecommendationRequest, "regionId" | "salesChannelIds">): Promise<CatalogScope> {
  if (!req.regionId) return { regionId: null, currencyCode: null, salesChannelIds: req.salesChannelIds }
  let cached = regionCurrency.get(req.regionId)
  if (!cached || Date.now() - cached.at > 300_000) {
    const [region] = await container.resolve(Modules.REGION).listRegions({ id: req.regionId }, { select: ["id", "currency_code"] })
    cached = { currency: region?.currency_code ?? null, at: Date.now() }
    regionCurrency.set(req.regionId, cached)
  }
  return { regionId: cached.currency ? req.regionId : null, currencyCode: cached.currency, salesChannelIds: req.salesChannelIds }
}

/** A product unknown to the model is placed by its content (category, department, brand). */
async function contentOf(container: MedusaContainer, productId: string, loaded: LoadedModel): Promise<string | { item: string; category?: string; department?: string; brand?: string }> {
  if (loaded.artifact.model.items.includes(productId)) return productId
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
