/**
 * Demo store seed: a real grocery retailer (84.51 / Dunnhumby "The Complete Journey", CC0).
 *
 *   npx medusa exec ./src/scripts/seed-demo.ts        (normally through `npm run demo`)
 *
 * What it creates, each part skipped when it already exists (the script is safe to re-run):
 * - store basics (sales channel, publishable key, USD region for `us`, tax region, stock location,
 *   shipping option) via `createStoreBasics`; their ids are kept in the store's metadata;
 * - the DEMO_PRODUCT_COUNT most-bought products (count of line items in transactions_sample.csv), fuel
 *   and coupon/misc lines excluded, with department -> category as product categories and the
 *   brand (National / Private) as a tag; price = median unit price (sales_value / quantity) of the
 *   product's line items; variant `metadata.cost` = COST_RATIO (70 %) of the price, a stand-in for the
 *   unknown purchase cost that the plugin's margin logic reads;
 * - one customer per household (`household-<id>@demo.medusa-uplift.local`, demographics as metadata); the
 *   first DEMO_LOGIN_COUNT households get a storefront login (password env DEMO_SHOPPER_PASSWORD), their
 *   emails kept in the store's metadata for `npm run demo` to print;
 * - the admin user DEMO_ADMIN_EMAIL with password DEMO_ADMIN_PASSWORD when both are set (`npm run demo` sets them);
 * - the latest DEMO_ORDER_COUNT baskets (lines restricted to imported products) as real Medusa orders;
 * - EVERY transaction row as a plugin interaction (source "seed", kind "purchase",
 *   dedupe_key `seed:<basket_id>:<product_id>`); order_id is the Medusa order id for baskets imported
 *   as orders, else `cj_<basket_id>`, so per-customer order counts are right;
 * - one plugin customer profile per household (demographics as attributes, purchase stats refreshed);
 * - the showcase (src/scripts/seed-showcase.ts): an active discount policy with real decisions and offers
 *   on customers' carts, some of them checked out (one held by a fraud rule), and trained models.
 *
 * Data folder: env UPLIFT_DATA_DIR or ../shared/data (the CSVs live in its completejourney/ folder).
 */
import * as path from "path"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createProductCategoriesWorkflow,
  createProductTagsWorkflow,
  createProductsWorkflow,
} from "@medusajs/medusa/core-flows"
import { loadDemographics, loadProducts, loadPurchases } from "../demo/completejourney"
import { resolveDataDir } from "../ml/data/paths"
import { createStoreBasics, placeOrderRiskWidgetFirst } from "../demo/store-setup"
import { categoryImage, productTitle } from "../demo/catalog-presentation"
import { addressOf } from "../demo/addresses"
import { DEFAULT_DEMO_SHOPPER_PASSWORD, DEMO_LOGIN_COUNT, ensureCustomerLogins } from "../demo/customer-logins"
import { ensureAdminUser } from "../demo/admin-user"
import type UpliftModuleService from "../modules/uplift/service"
import type { InteractionInput } from "../modules/uplift/types"
import { ensureShowcase } from "./seed-showcase"

export const DEMO_STORE_NAME = "Complete Journey"
/** The store's name in the admin and on its documents (Medusa names a new store "Medusa Store"). */
export const DEMO_STORE_TITLE = "Complete Journey Grocery"
export const DEMO_EMAIL_DOMAIN = "demo.medusa-uplift.local"
const DEMO_PRODUCT_COUNT = Number(process.env.DEMO_PRODUCT_COUNT || 600)
const DEMO_ORDER_COUNT = Number(process.env.DEMO_ORDER_COUNT || 300)
const COST_RATIO = 0.7
const CURRENCY = "usd"
const COUNTRY = "us"
const PRODUCT_BATCH = 100
const CUSTOMER_BATCH = 500
const INTERACTION_CHUNK = 1_000
const ORDER_BATCH = 100
const PROFILE_CHUNK = 500
const METADATA_KEY = "medusa_uplift_demo"
/** Product categories that are not goods a web shop sells. */
const EXCLUDED_DEPARTMENTS = new Set(["FUEL", "KIOSK-GAS"])
const EXCLUDED_CATEGORIES = new Set(["COUPON/MISC ITEMS"])

type Logger = { info(message: string): void; warn(message: string): void }

interface TransactionRow {
  household: string
  basket: string
  product: string
  quantity: number
  salesValue: number
  timestamp: Date
}

interface ProductRow {
  id: string
  department: string
  brand: string
  category: string
  type: string
  size: string
  manufacturer: string
}

interface DemoBasics {
  sales_channel_id: string
  region_id: string
  shipping_profile_id: string
  publishable_key: string
}

/** Ids of what the seed imported, keyed by the data's ids. */
interface Catalog {
  productIds: Map<string, string>
  variantIds: Map<string, string>
  titles: Map<string, string>
  /** What an order line keeps of its product (Medusa's line item snapshot), by data product id. */
  lines: Map<string, { product_handle: string; product_subtitle: string | null; thumbnail: string | null; variant_title: string | null; variant_sku: string | null }>
}

export default async function seedDemo({ container }: ExecArgs): Promise<void> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const started = Date.now()
  const log = (message: string) => logger.info(`[seed-demo ${seconds(started)}] ${message}`)

  const dataDir = resolveDataDir(process.cwd())
  const transactions = loadTransactions(dataDir)
  const products = loadProductsById(dataDir)
  const demographics = loadDemographics(dataDir)
  log(`read ${transactions.length.toLocaleString("en-US")} transaction rows from ${path.join(dataDir, "completejourney")}`)

  const basics = await ensureBasics(container, log)
  const admin = process.env.DEMO_ADMIN_EMAIL
  if (admin && process.env.DEMO_ADMIN_PASSWORD) log(`admin user ${admin} ${await ensureAdminUser(container, admin, process.env.DEMO_ADMIN_PASSWORD)}`)
  if (await placeOrderRiskWidgetFirst(container)) log("order page: the fraud risk widget placed first (store-wide default layout)")
  const chosen = mostBoughtProducts(transactions, products, DEMO_PRODUCT_COUNT)
  const catalog = await ensureProducts(container, basics, chosen, medianUnitPrices(transactions), log)
  const households = [...new Set(transactions.map((row) => row.household))].sort((a, b) => Number(a) - Number(b))
  const customerIds = await ensureCustomers(container, households, demographics, log)
  const logins = await ensureCustomerLogins(container, households.slice(0, DEMO_LOGIN_COUNT).map(emailOf), shopperPassword())
  await updateDemoMetadata(container, { logins })
  log(`storefront logins for ${logins.length} households (${logins[0]} ...)`)
  await backdateAccounts(container, customerIds, firstPurchases(transactions), log)
  const orderIds = await ensureOrders(container, basics, transactions, catalog, customerIds, log)
  await ensureInteractions(container, transactions, catalog, customerIds, orderIds, log)
  await ensureProfiles(container, transactions, customerIds, demographics, log)
  await markSeeded(container, { products: catalog.productIds.size, customers: customerIds.size, orders: orderIds.size })
  await ensureShowcase(container, {
    basics,
    currency: CURRENCY,
    country: COUNTRY,
    transactions,
    variantIds: catalog.variantIds,
    productIds: catalog.productIds,
    dataDir,
    customerIds,
    emailOf,
    log,
  })
  log(`done in ${seconds(started)} s`)
}

// ---------------------------------------------------------------------------------------------- data

/** The shared Complete Journey reader's rows, with dates for the store's timestamps. */
function loadTransactions(dataDir: string): TransactionRow[] {
  return loadPurchases(dataDir).map(({ time, ...row }) => ({ ...row, timestamp: new Date(time * 1000) }))
}

function loadProductsById(dataDir: string): Map<string, ProductRow> {
  return new Map(loadProducts(dataDir).map(({ product, ...row }) => [product, { id: product, ...row }]))
}

/** The `count` products with the most line items, among those a web shop would sell. */
function mostBoughtProducts(transactions: TransactionRow[], products: Map<string, ProductRow>, count: number): ProductRow[] {
  const lines = new Map<string, number>()
  for (const row of transactions) {
    lines.set(row.product, (lines.get(row.product) ?? 0) + 1)
  }
  return [...lines.entries()]
    .filter(([id]) => isSellable(products.get(id)))
    .sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))
    .slice(0, count)
    .map(([id]) => products.get(id)!)
}

function isSellable(product: ProductRow | undefined): boolean {
  return (
    !!product &&
    !EXCLUDED_DEPARTMENTS.has(product.department) &&
    !EXCLUDED_CATEGORIES.has(product.category) &&
    !product.type.startsWith("GASOLINE")
  )
}

/** Median of sales_value / quantity over a product's paid line items. */
function medianUnitPrices(transactions: TransactionRow[]): Map<string, number> {
  const unitPrices = new Map<string, number[]>()
  for (const row of transactions) {
    if (row.quantity > 0 && row.salesValue > 0) {
      const list = unitPrices.get(row.product) ?? []
      list.push(row.salesValue / row.quantity)
      unitPrices.set(row.product, list)
    }
  }
  const medians = new Map<string, number>()
  for (const [product, list] of unitPrices) {
    list.sort((a, b) => a - b)
    const mid = list.length >> 1
    medians.set(product, list.length % 2 ? list[mid] : (list[mid - 1] + list[mid]) / 2)
  }
  return medians
}

// -------------------------------------------------------------------------------------------- basics

async function ensureBasics(container: MedusaContainer, log: (message: string) => void): Promise<DemoBasics> {
  const storeModule = container.resolve(Modules.STORE)
  const salesChannels = container.resolve(Modules.SALES_CHANNEL)
  const [store] = await storeModule.listStores({})
  if (store && store.name !== DEMO_STORE_TITLE) await storeModule.updateStores(store.id, { name: DEMO_STORE_TITLE })
  const saved = (store?.metadata?.[METADATA_KEY] as { basics?: DemoBasics } | undefined)?.basics
  if (saved) {
    const [channel] = await salesChannels.listSalesChannels({ id: saved.sales_channel_id })
    if (channel) {
      log(`store basics exist (sales channel ${channel.name})`)
      return saved
    }
  }
  const created = await createStoreBasics(container, { name: DEMO_STORE_NAME, currencyCode: CURRENCY, countryCode: COUNTRY, useStoreDefaults: true })
  const basics: DemoBasics = {
    sales_channel_id: created.salesChannelId,
    region_id: created.regionId,
    shipping_profile_id: created.shippingProfileId,
    publishable_key: created.publishableKey,
  }
  await updateDemoMetadata(container, { basics })
  log(`store basics created (region ${DEMO_STORE_NAME}, ${CURRENCY.toUpperCase()}, country ${COUNTRY})`)
  return basics
}

async function updateDemoMetadata(container: MedusaContainer, patch: Record<string, unknown>): Promise<void> {
  const storeModule = container.resolve(Modules.STORE)
  const [store] = await storeModule.listStores({})
  if (!store) {
    return
  }
  const current = (store.metadata?.[METADATA_KEY] as Record<string, unknown> | undefined) ?? {}
  await storeModule.updateStores(store.id, { metadata: { ...(store.metadata ?? {}), [METADATA_KEY]: { ...current, ...patch } } })
}

async function markSeeded(container: MedusaContainer, counts: Record<string, number>): Promise<void> {
  await updateDemoMetadata(container, { seeded_at: new Date().toISOString(), counts })
}

// ------------------------------------------------------------------------------------------ products

async function ensureProducts(
  container: MedusaContainer,
  basics: DemoBasics,
  chosen: ProductRow[],
  prices: Map<string, number>,
  log: (message: string) => void
): Promise<Catalog> {
  const productModule = container.resolve(Modules.PRODUCT)
  const catalog: Catalog = { productIds: new Map(), variantIds: new Map(), titles: new Map(), lines: new Map() }
  type Stored = { id: string; handle: string; title: string; subtitle?: string | null; thumbnail?: string | null; variants?: { id: string; title?: string | null; sku?: string | null }[] | null }
  const remember = (product: Stored) => {
    const dataId = product.handle.replace(/^cj-/, "")
    catalog.productIds.set(dataId, product.id)
    catalog.titles.set(dataId, product.title)
    const variant = product.variants?.[0]
    if (variant) {
      catalog.variantIds.set(dataId, variant.id)
    }
    catalog.lines.set(dataId, {
      product_handle: product.handle,
      product_subtitle: product.subtitle ?? null,
      thumbnail: product.thumbnail ?? null,
      variant_title: variant?.title ?? null,
      variant_sku: variant?.sku ?? null,
    })
  }
  const existing = await productModule.listProducts(
    { handle: chosen.map((product) => handleOf(product.id)) },
    { select: ["id", "handle", "title", "subtitle", "thumbnail"], relations: ["variants"], take: null }
  )
  existing.forEach(remember)
  const missing = chosen.filter((product) => !catalog.productIds.has(product.id))
  if (!missing.length) {
    log(`products ${catalog.productIds.size}/${chosen.length} exist`)
    return catalog
  }

  const categoryIds = await ensureCategories(container, missing)
  const tagIds = await ensureTags(container, missing)
  for (let start = 0; start < missing.length; start += PRODUCT_BATCH) {
    const batch = missing.slice(start, start + PRODUCT_BATCH)
    const { result } = await createProductsWorkflow(container).run({
      input: {
        products: batch.map((product) => {
          const price = roundCents(prices.get(product.id) ?? 1)
          const size = product.size || "Standard"
          const category = categoryIds.get(categoryKey(product)) ?? categoryIds.get(departmentKey(product))
          const tag = tagIds.get(brandTag(product))
          const image = categoryImage(product.department, product.category)
          return {
            title: productTitle(product),
            thumbnail: image,
            images: [{ url: image }],
            subtitle: [titleCase(product.category), product.brand === "Private" ? "Private label" : product.brand].filter(Boolean).join(" · "),
            handle: handleOf(product.id),
            status: "published" as const,
            shipping_profile_id: basics.shipping_profile_id,
            sales_channels: [{ id: basics.sales_channel_id }],
            category_ids: category ? [category] : [],
            tag_ids: tag ? [tag] : [],
            metadata: { cj_product_id: product.id, manufacturer_id: product.manufacturer, department: product.department },
            options: [{ title: "Size", values: [size] }],
            variants: [
              {
                title: size,
                sku: `CJ-${product.id}`,
                manage_inventory: false,
                options: { Size: size },
                prices: [{ currency_code: CURRENCY, amount: price }],
                metadata: { cost: roundCents(price * COST_RATIO), cj_product_id: product.id },
              },
            ],
          }
        }),
      },
    })
    result.forEach(remember)
    log(`products ${catalog.productIds.size}/${chosen.length}`)
  }
  return catalog
}

/** Department categories with their product categories as children; returns ids by key. */
async function ensureCategories(container: MedusaContainer, products: ProductRow[]): Promise<Map<string, string>> {
  const productModule = container.resolve(Modules.PRODUCT)
  const wanted = new Map<string, { name: string; parent?: string }>()
  for (const product of products) {
    if (!product.department) {
      continue
    }
    wanted.set(departmentKey(product), { name: titleCase(product.department) })
    if (product.category) {
      wanted.set(categoryKey(product), { name: titleCase(product.category), parent: departmentKey(product) })
    }
  }
  const ids = new Map<string, string>()
  const existing = await productModule.listProductCategories({ handle: [...wanted.keys()] }, { select: ["id", "handle"], take: null })
  existing.forEach((category) => ids.set(category.handle, category.id))
  for (const level of [false, true]) {
    const missing = [...wanted.entries()].filter(([handle, spec]) => !ids.has(handle) && !!spec.parent === level)
    if (!missing.length) {
      continue
    }
    const { result } = await createProductCategoriesWorkflow(container).run({
      input: {
        product_categories: missing.map(([handle, spec]) => ({
          name: spec.name,
          handle,
          is_active: true,
          parent_category_id: spec.parent ? ids.get(spec.parent) ?? null : null,
        })),
      },
    })
    result.forEach((category) => ids.set(category.handle, category.id))
  }
  return ids
}

async function ensureTags(container: MedusaContainer, products: ProductRow[]): Promise<Map<string, string>> {
  const productModule = container.resolve(Modules.PRODUCT)
  const values = [...new Set(products.map(brandTag))]
  const ids = new Map<string, string>()
  const existing = await productModule.listProductTags({ value: values }, { select: ["id", "value"], take: null })
  existing.forEach((tag) => ids.set(tag.value, tag.id))
  const missing = values.filter((value) => !ids.has(value))
  if (missing.length) {
    const { result } = await createProductTagsWorkflow(container).run({ input: { product_tags: missing.map((value) => ({ value })) } })
    result.forEach((tag) => ids.set(tag.value, tag.id))
  }
  return ids
}

const handleOf = (productId: string) => `cj-${productId}`
const departmentKey = (product: ProductRow) => `cj-${slug(product.department)}`
const categoryKey = (product: ProductRow) => `cj-${slug(product.department)}-${slug(product.category)}`
const brandTag = (product: ProductRow) => (product.brand === "Private" ? "private-label" : product.brand ? slug(product.brand) + "-brand" : "unbranded")

function titleCase(text: string): string {
  return text.toLowerCase().replace(/(^|[\s\-/(&])([a-z])/g, (_, before: string, letter: string) => before + letter.toUpperCase())
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "other"
}

// ----------------------------------------------------------------------------------------- customers

const shopperPassword = () => process.env.DEMO_SHOPPER_PASSWORD || DEFAULT_DEMO_SHOPPER_PASSWORD

const emailOf = (household: string) => `household-${household}@${DEMO_EMAIL_DOMAIN}`

async function ensureCustomers(
  container: MedusaContainer,
  households: string[],
  demographics: Map<string, Record<string, string>>,
  log: (message: string) => void
): Promise<Map<string, string>> {
  const customerModule = container.resolve(Modules.CUSTOMER)
  const byEmail = new Map<string, string>()
  const existing = await customerModule.listCustomers({ email: households.map(emailOf) }, { select: ["id", "email"], take: null })
  existing.forEach((customer) => byEmail.set(customer.email!, customer.id))
  const missing = households.filter((household) => !byEmail.has(emailOf(household)))
  // The customer module directly, in batches: a workflow per household would take minutes, and the
  // plugin's profile rows are written below by the seed itself.
  for (let start = 0; start < missing.length; start += CUSTOMER_BATCH) {
    const batch = missing.slice(start, start + CUSTOMER_BATCH)
    const created = await customerModule.createCustomers(
      batch.map((household) => ({
        email: emailOf(household),
        first_name: "Household",
        last_name: household,
        has_account: false,
        metadata: { household_id: household, ...(demographics.get(household) ?? {}) },
      }))
    )
    created.forEach((customer) => byEmail.set(customer.email!, customer.id))
    log(`customers ${byEmail.size}/${households.length}`)
  }
  if (!missing.length) {
    log(`customers ${byEmail.size}/${households.length} exist`)
  }
  return new Map(households.map((household) => [household, byEmail.get(emailOf(household))!]))
}

/** Each household's first purchase in the data: when its account is taken to have been opened. */
function firstPurchases(transactions: TransactionRow[]): Map<string, Date> {
  const first = new Map<string, Date>()
  for (const row of transactions) {
    const known = first.get(row.household)
    if (!known || row.timestamp < known) first.set(row.household, row.timestamp)
  }
  return first
}

/**
 * Accounts opened when the household first shopped, not when the seed ran: the fraud model reads the
 * account's age, and accounts a few seconds old score like bots (every demo checkout in the 70s).
 */
async function backdateAccounts(container: MedusaContainer, customerIds: Map<string, string>, opened: Map<string, Date>, log: (message: string) => void): Promise<void> {
  const rows = [...customerIds.entries()].filter(([household]) => opened.has(household))
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rowCount } = await db.raw(
    `update customer set created_at = opened.at from (select unnest(?::text[]) as id, unnest(?::timestamptz[]) as at) opened
      where customer.id = opened.id and customer.created_at > opened.at`,
    [rows.map(([, id]) => id), rows.map(([household]) => opened.get(household)!.toISOString())]
  )
  log(`accounts dated from each household's first purchase (${rowCount ?? 0} updated)`)
}

// -------------------------------------------------------------------------------------------- orders

/** The latest baskets (by timestamp) with at least one imported product, as real orders. Returns basket -> order id. */
async function ensureOrders(
  container: MedusaContainer,
  basics: DemoBasics,
  transactions: TransactionRow[],
  catalog: Catalog,
  customerIds: Map<string, string>,
  log: (message: string) => void
): Promise<Map<string, string>> {
  const baskets = new Map<string, { household: string; timestamp: Date; lines: TransactionRow[] }>()
  for (const row of transactions) {
    if (!catalog.variantIds.has(row.product) || row.quantity <= 0 || row.salesValue <= 0) {
      continue
    }
    const basket = baskets.get(row.basket) ?? { household: row.household, timestamp: row.timestamp, lines: [] }
    basket.lines.push(row)
    if (row.timestamp > basket.timestamp) {
      basket.timestamp = row.timestamp
    }
    baskets.set(row.basket, basket)
  }
  const latest = [...baskets.entries()]
    .sort((a, b) => b[1].timestamp.getTime() - a[1].timestamp.getTime() || b[0].localeCompare(a[0]))
    .slice(0, DEMO_ORDER_COUNT)
    .reverse()

  const orderIds = await existingDemoOrders(container)
  const missing = latest.filter(([basketId]) => !orderIds.has(basketId))
  if (!missing.length) {
    log(`orders ${orderIds.size}/${latest.length} exist`)
    return orderIds
  }
  // Through the order module in batches: createOrderWorkflow per basket (prices, inventory, tax lines,
  // promotion adjustments and a re-read, one order at a time) was most of the seed's time. The lines carry
  // the snapshot the workflow would give them (product, variant, custom unit price, not tax inclusive).
  const orderModule = container.resolve(Modules.ORDER)
  let done = latest.length - missing.length
  for (let start = 0; start < missing.length; start += ORDER_BATCH) {
    const batch = missing.slice(start, start + ORDER_BATCH)
    const created = await orderModule.createOrders(
      batch.map(([basketId, basket]) => {
        const address = addressOf(basket.household, COUNTRY)
        return {
          region_id: basics.region_id,
          sales_channel_id: basics.sales_channel_id,
          customer_id: customerIds.get(basket.household),
          email: emailOf(basket.household),
          currency_code: CURRENCY,
          shipping_address: { ...address },
          billing_address: { ...address },
          items: basket.lines.map((line) => {
            const title = catalog.titles.get(line.product) ?? `Product ${line.product}`
            const snapshot = catalog.lines.get(line.product)
            return {
              title,
              subtitle: snapshot?.variant_title ?? null,
              thumbnail: snapshot?.thumbnail ?? null,
              variant_id: catalog.variantIds.get(line.product)!,
              product_id: catalog.productIds.get(line.product)!,
              product_title: title,
              product_handle: snapshot?.product_handle ?? null,
              product_subtitle: snapshot?.product_subtitle ?? null,
              variant_title: snapshot?.variant_title ?? null,
              variant_sku: snapshot?.variant_sku ?? null,
              requires_shipping: true,
              is_discountable: true,
              is_tax_inclusive: false,
              is_custom_price: true,
              quantity: line.quantity,
              unit_price: roundCents(line.salesValue / line.quantity),
            }
          }),
          metadata: { cj_basket_id: basketId, cj_household_id: basket.household, purchased_at: basket.timestamp.toISOString() },
        }
      }) as any
    )
    created.forEach((order: { id: string; metadata?: Record<string, unknown> | null }) => orderIds.set(String(order.metadata?.cj_basket_id), order.id))
    done += batch.length
    log(`orders ${done}/${latest.length}`)
  }
  return orderIds
}

/** Orders a previous run imported, by basket id (kept in the order's metadata). */
async function existingDemoOrders(container: MedusaContainer): Promise<Map<string, string>> {
  const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const { rows } = await db.raw(
    `select id, metadata->>'cj_basket_id' as basket_id from "order" where deleted_at is null and metadata ? 'cj_basket_id'`
  )
  return new Map((rows as { id: string; basket_id: string }[]).map((row) => [row.basket_id, row.id]))
}

// ------------------------------------------------------------------------------------- plugin data

async function ensureInteractions(
  container: MedusaContainer,
  transactions: TransactionRow[],
  catalog: Catalog,
  customerIds: Map<string, string>,
  orderIds: Map<string, string>,
  log: (message: string) => void
): Promise<void> {
  const uplift = container.resolve<UpliftModuleService>("uplift")
  const [, already] = await uplift.listAndCountInteractions({ source: "seed" }, { take: 1, select: ["id"] })
  if (already >= transactions.length) {
    log(`interactions ${already.toLocaleString("en-US")} exist`)
    return
  }
  let inserted = 0
  for (let start = 0; start < transactions.length; start += INTERACTION_CHUNK) {
    const records: InteractionInput[] = transactions.slice(start, start + INTERACTION_CHUNK).map((row) => ({
      dedupe_key: `seed:${row.basket}:${row.product}`,
      kind: "purchase",
      source: "seed",
      customer_id: customerIds.get(row.household) ?? null,
      order_id: orderIds.get(row.basket) ?? `cj_${row.basket}`,
      product_id: catalog.productIds.get(row.product) ?? `cj_${row.product}`,
      variant_id: catalog.variantIds.get(row.product) ?? null,
      quantity: row.quantity,
      value: row.salesValue,
      currency_code: CURRENCY,
      occurred_at: row.timestamp,
    }))
    inserted += await uplift.recordInteractions(records)
    const seen = Math.min(start + INTERACTION_CHUNK, transactions.length)
    if (seen % 15_000 === 0 || seen === transactions.length) {
      log(`interactions ${seen.toLocaleString("en-US")}/${transactions.length.toLocaleString("en-US")} (${inserted.toLocaleString("en-US")} new)`)
    }
  }
}

async function ensureProfiles(
  container: MedusaContainer,
  transactions: TransactionRow[],
  customerIds: Map<string, string>,
  demographics: Map<string, Record<string, string>>,
  log: (message: string) => void
): Promise<void> {
  const uplift = container.resolve<UpliftModuleService>("uplift")
  const ids = [...customerIds.values()]
  const profiles = await uplift.listCustomerProfiles({ customer_id: ids }, { select: ["customer_id", "attributes"], take: null })
  const complete = new Set(profiles.filter((profile) => (profile.attributes as Record<string, unknown> | null)?.stats).map((p) => p.customer_id))
  const firstPurchase = firstPurchases(transactions)
  const missing = [...customerIds.entries()].filter(([, customerId]) => !complete.has(customerId))
  let done = customerIds.size - missing.length
  for (let start = 0; start < missing.length; start += PROFILE_CHUNK) {
    const chunk = missing.slice(start, start + PROFILE_CHUNK)
    await uplift.upsertCustomerProfiles(chunk.map(([household, customerId]) => ({
      customer_id: customerId,
      email: emailOf(household),
      has_account: false,
      signed_up_at: firstPurchase.get(household) ?? null,
      attributes: { household_id: household, ...(demographics.get(household) ?? {}) },
    })))
    await uplift.refreshCustomersStats(chunk.map(([, customerId]) => customerId))
    done += chunk.length
    log(`profiles ${done}/${customerIds.size}`)
  }
  log(`profiles ${customerIds.size}/${customerIds.size}${missing.length ? "" : " exist"}`)
}

// ------------------------------------------------------------------------------------------- helpers

function roundCents(value: number): number {
  return Math.max(0.01, Math.round(value * 100) / 100)
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1)
}
