const DAY_MS = 86_400_000
/** Recency of a shopper who never ordered: far beyond any win-back window, so trees split it off. */
export const NEVER_ORDERED_RECENCY_DAYS = 3650

/** One past purchase line as the interaction history holds it. */
export interface PastPurchase {
  at: number
  orderId: string | null
  value: number
  /** Categories of the purchased product (empty when unknown). */
  categories: string[]
}

export interface OfferFeatureInput {
  /** The shopper's purchases; only those strictly before `at` count, so a full history gives the same row. */
  purchases: PastPurchase[]
  /** When the shopper signed up, if known: tenure starts at the earlier of sign-up and the first order. */
  signedUpAt: number | null
  basket: { value: number; items: number }
  /** Customer attributes the merchant selected (region, channel, customer group, profile metadata). */
  attributes: Record<string, string | null | undefined>
  /** The decision instant, unix ms. */
  at: number
}

export const BASKET_FEATURES = ["basket_value", "items"] as const
const CATEGORY_PREFIX = "cat:"
const ATTRIBUTE_PREFIX = "attr:"

/**
 * The offer features of a shopper at one instant, for live scoring and training rows alike: recency
 * (days since the last order), frequency (`orders`), monetary (`spend`), tenure, category affinity
 * (`cat:<category>`: share of past spend), the basket, and one indicator per selected attribute value
 * (`attr:<name>=<value>`). Pure: the same history and instant give the same row.
 */
export function offerFeatures(input: OfferFeatureInput): Record<string, number> {
  const past = input.purchases.filter((purchase) => purchase.at < input.at)
  const orders = new Set(past.map((purchase) => purchase.orderId ?? `line:${purchase.at}`))
  const spend = past.reduce((sum, purchase) => sum + purchase.value, 0)
  const lastOrderAt = past.length ? Math.max(...past.map((purchase) => purchase.at)) : null
  const firstSeenAt = Math.min(input.signedUpAt ?? Infinity, ...past.map((purchase) => purchase.at))
  const features: Record<string, number> = {
    recency_days: lastOrderAt === null ? NEVER_ORDERED_RECENCY_DAYS : round((input.at - lastOrderAt) / DAY_MS),
    orders: orders.size,
    spend: round(spend),
    tenure_days: Number.isFinite(firstSeenAt) && firstSeenAt <= input.at ? round((input.at - firstSeenAt) / DAY_MS) : 0,
    basket_value: round(input.basket.value),
    items: input.basket.items,
  }
  for (const [category, share] of Object.entries(categoryShares(past, spend))) {
    features[`${CATEGORY_PREFIX}${category}`] = share
  }
  for (const [name, value] of Object.entries(input.attributes)) {
    if (value !== null && value !== undefined && value !== "") features[`${ATTRIBUTE_PREFIX}${name}=${value}`] = 1
  }
  return features
}

/**
 * A training row for a logged decision: recency, frequency, spend and tenure recomputed as of the decision
 * time from the full history; the basket, attributes and category affinity as the decision logged them
 * (computed then from the history before it: product categories are the product module's, not the
 * training job's to read).
 */
export function offerTrainingRow(logged: { at: number; features: Record<string, number> }, purchases: PastPurchase[], signedUpAt: number | null): Record<string, number> {
  const row = offerFeatures({
    purchases: purchases.map((purchase) => ({ ...purchase, categories: [] })),
    signedUpAt,
    at: logged.at,
    basket: { value: logged.features.basket_value ?? 0, items: logged.features.items ?? 0 },
    attributes: loggedAttributes(logged.features),
  })
  for (const [key, value] of Object.entries(logged.features)) {
    if (key.startsWith(CATEGORY_PREFIX)) row[key] = value
  }
  return row
}

/** The attribute values a logged feature row carries (`attr:<name>=<value>` indicators). */
export function loggedAttributes(features: Record<string, number>): Record<string, string> {
  const attributes: Record<string, string> = {}
  for (const [key, value] of Object.entries(features)) {
    if (!key.startsWith(ATTRIBUTE_PREFIX) || !value) continue
    const [name, ...rest] = key.slice(ATTRIBUTE_PREFIX.length).split("=")
    attributes[name] = rest.join("=")
  }
  return attributes
}

/** The fixed column order a model reads: the base features first, then the sorted indicator columns seen in training. */
export function featureColumns(rows: Record<string, number>[]): string[] {
  const base = ["recency_days", "orders", "spend", "tenure_days", ...BASKET_FEATURES]
  const extra = new Set<string>()
  for (const row of rows) for (const key of Object.keys(row)) if (!base.includes(key)) extra.add(key)
  return [...base, ...[...extra].sort()]
}

/** A row in a model's column order; a column the shopper lacks (an unseen category or attribute) is 0. */
export function vectorize(features: Record<string, number>, columns: string[]): number[] {
  return columns.map((column) => features[column] ?? 0)
}

function categoryShares(past: PastPurchase[], spend: number): Record<string, number> {
  const byCategory: Record<string, number> = {}
  for (const purchase of past) {
    for (const category of purchase.categories) byCategory[category] = (byCategory[category] ?? 0) + purchase.value
  }
  return Object.fromEntries(Object.entries(byCategory).map(([category, value]) => [category, spend > 0 ? round(value / spend) : 0]))
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
