import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, getVariantAvailability, QueryContext } from "@medusajs/framework/utils"

/** What a recommendation shows of a product, priced for one region and checked for one sales channel. */
export interface ProductCard {
  id: string
  title: string
  handle: string | null
  thumbnail: string | null
  /** Published, sold in the channel, and some variant in stock or not inventory-managed. */
  sellable: boolean
  variant_id: string | null
  /** Lowest calculated price of a sellable variant in the region's currency, or null without region. */
  price: number | null
  currency_code: string | null
  /** Variant metadata `cost` of that variant (margin of item offers), or null. */
  cost: number | null
}

export interface CatalogScope {
  regionId: string | null
  currencyCode: string | null
  salesChannelIds: string[]
}

/** Fresh for this long; then served while one background refresh runs (stale-while-revalidate). */
const FRESH_MS = 30_000
/** Older than this, a card is fetched again before it is served. */
const MAX_AGE_MS = 5 * 60_000
const MAX_ENTRIES = 50_000
const FETCH_CHUNK = 25

type Entry = { card: ProductCard; at: number }

/**
 * Product cards cached per (region, channels). Stock and publication changes reach a card within
 * FRESH_MS plus one refresh, and at once in processes that run the cache subscriber (product and
 * inventory events clear the cache).
 */
export class ProductCatalog {
  private entries = new Map<string, Entry>()
  private refreshing = new Set<string>()
  private warming = new Map<string, Promise<void>>()

  async cards(container: MedusaContainer, scope: CatalogScope, ids: string[]): Promise<Map<string, ProductCard>> {
    const out = new Map<string, ProductCard>()
    const missing: string[] = []
    const stale: string[] = []
    const now = Date.now()
    const prefix = scopeKey(scope)
    for (const id of new Set(ids)) {
      const entry = this.entries.get(prefix + id)
      if (!entry || now - entry.at > MAX_AGE_MS) missing.push(id)
      else {
        out.set(id, entry.card)
        if (now - entry.at > FRESH_MS && !this.refreshing.has(prefix + id)) stale.push(id)
      }
    }
    if (stale.length) {
      stale.forEach((id) => this.refreshing.add(prefix + id))
      void this.fetch(container, scope, stale)
        .catch(() => undefined)
        .finally(() => stale.forEach((id) => this.refreshing.delete(prefix + id)))
    }
    if (missing.length) for (const [id, card] of await this.fetch(container, scope, missing)) out.set(id, card)
    return out
  }

  /** Fetches the cards of these products that are not held yet (background warming, one at a time per scope). */
  warm(container: MedusaContainer, scope: CatalogScope, ids: string[]): Promise<void> {
    const prefix = scopeKey(scope)
    const previous = this.warming.get(prefix) ?? Promise.resolve()
    const next = previous.then(async () => {
      const missing = [...new Set(ids)].filter((id) => !this.entries.has(prefix + id))
      await this.fetch(container, scope, missing)
    })
    this.warming.set(prefix, next.catch(() => undefined))
    return next
  }

  /** Products held as sellable in any scope. */
  sellableIds(): Set<string> {
    const ids = new Set<string>()
    for (const { card } of this.entries.values()) if (card.sellable) ids.add(card.id)
    return ids
  }

  clear(): void {
    this.entries.clear()
  }

  /**
   * Loads cards a chunk at a time: pricing a chunk's variants holds the event loop, and a small chunk
   * keeps what concurrent requests wait for short.
   */
  private async fetch(container: MedusaContainer, scope: CatalogScope, ids: string[]): Promise<Map<string, ProductCard>> {
    const out = new Map<string, ProductCard>()
    const prefix = scopeKey(scope)
    for (let start = 0; start < ids.length; start += FETCH_CHUNK) {
      const cards = await loadCards(container, scope, ids.slice(start, start + FETCH_CHUNK))
      const at = Date.now()
      if (this.entries.size + cards.size > MAX_ENTRIES) this.entries.clear()
      for (const [id, card] of cards) {
        this.entries.set(prefix + id, { card, at })
        out.set(id, card)
      }
    }
    return out
  }
}

function scopeKey(scope: CatalogScope): string {
  return `${scope.regionId ?? "-"}|${[...scope.salesChannelIds].sort().join(",")}|`
}

async function loadCards(container: MedusaContainer, scope: CatalogScope, ids: string[]): Promise<Map<string, ProductCard>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fields = [
    "id",
    "title",
    "handle",
    "thumbnail",
    "status",
    "sales_channels.id",
    "variants.id",
    "variants.manage_inventory",
    "variants.allow_backorder",
    "variants.metadata",
  ]
  const priced = Boolean(scope.regionId && scope.currencyCode)
  if (priced) fields.push("variants.calculated_price.calculated_amount", "variants.calculated_price.currency_code")
  const { data } = await query.graph({
    entity: "product",
    fields,
    filters: { id: ids },
    ...(priced ? { context: { variants: { calculated_price: QueryContext({ region_id: scope.regionId, currency_code: scope.currencyCode }) } } } : {}),
  })
  const products = data as any[]
  const managed = products.flatMap((p) => (p.variants ?? []).filter((v: any) => v.manage_inventory && !v.allow_backorder).map((v: any) => v.id as string))
  const availability = await stockByChannel(query, managed, scope.salesChannelIds)
  const cards = new Map<string, ProductCard>()
  for (const p of products) {
    const channels = new Set<string>((p.sales_channels ?? []).map((c: any) => c.id))
    const inChannel = scope.salesChannelIds.length === 0 || scope.salesChannelIds.some((id) => channels.has(id))
    const variants = (p.variants ?? []).filter((v: any) => !v.manage_inventory || v.allow_backorder || (availability.get(v.id) ?? 0) > 0)
    const pricedVariants = variants
      .map((v: any) => ({ v, amount: v.calculated_price?.calculated_amount ?? null }))
      .sort((a: any, b: any) => (a.amount ?? Infinity) - (b.amount ?? Infinity))
    const best = pricedVariants[0]
    const cost = Number(best?.v.metadata?.cost)
    cards.set(p.id, {
      id: p.id,
      title: p.title,
      handle: p.handle ?? null,
      thumbnail: p.thumbnail ?? null,
      sellable: p.status === "published" && inChannel && variants.length > 0,
      variant_id: best?.v.id ?? null,
      price: best?.amount ?? null,
      currency_code: best?.v.calculated_price?.currency_code ?? scope.currencyCode ?? null,
      cost: best?.v.metadata?.cost !== undefined && Number.isFinite(cost) ? cost : null,
    })
  }
  // Ids that no longer exist (deleted products) are cached as not sellable.
  for (const id of ids) if (!cards.has(id)) cards.set(id, { id, title: "", handle: null, thumbnail: null, sellable: false, variant_id: null, price: null, currency_code: null, cost: null })
  return cards
}

/** Highest availability of each managed variant over the scope's sales channels. */
async function stockByChannel(query: any, variantIds: string[], channelIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  if (!variantIds.length || !channelIds.length) return out
  for (const channel of channelIds) {
    const result = await getVariantAvailability(query, { variant_ids: variantIds, sales_channel_id: channel })
    for (const [id, row] of Object.entries(result)) out.set(id, Math.max(out.get(id) ?? 0, Number(row.availability ?? 0)))
  }
  return out
}
