import { ItemStats, MfModel, PurchaseHistory } from "./types"

const DAY = 86400

export const FEATURE_NAMES = [
  "log_freq",
  "owned",
  "log_days_since",
  "log_pop",
  "log_recent_pop",
  "repeat_rate",
  "repeat_x_log_freq",
  "freq_share",
  "category_share",
  "department_share",
  "brand_share",
  "mf_score",
  "log_user_count",
  "log_pop_x_log_user_count",
  "log_item_baskets",
  "in_last_basket",
  "log_user_baskets",
  "log_user_idle_days",
  "log_buyers",
  "log_item_idle_days",
  "log_category_count",
  "log_count_per_buyer",
  "basket_share",
] as const
export const FEATURE_COUNT = FEATURE_NAMES.length

/** A user's purchases of one item: line count, last time and (when known) distinct baskets. */
export interface OwnedEntry {
  count: number
  last: number
  baskets?: number
}

/** What the features need to know about one user (known or folded in from a basket list). */
export interface UserContext {
  /** item -> purchase count and last purchase time. */
  owned: Map<number, OwnedEntry>
  lastTime: number
  total: number
  /** Distinct baskets of the user (1 when unknown). */
  baskets: number
  /** Time of the model's latest interaction (the "now" of the features). */
  referenceTime: number
  categoryShare: Map<number, number>
  departmentShare: Map<number, number>
  brandShare: Map<number, number>
  /** Embedding of the user, or null when unknown. */
  vector: Float32Array | null
}

/** Item side of the features; for a known item these come from the model's arrays. */
export interface ItemProfile {
  count: number
  recentCount: number
  repeatRate: number
  department: number
  category: number
  brand: number
  vector: Float32Array
  bias: number
  /** Distinct buyers (defaults to count). */
  buyers?: number
  /** Unix seconds of the last sale (unknown: treated as the reference time). */
  lastSold?: number
}

export function userContextFromHistory(
  h: PurchaseHistory,
  stats: ItemStats,
  mf: MfModel | null,
  u: number,
  referenceTime: number = h.userLastTime[u]
): UserContext {
  const owned = new Map<number, OwnedEntry>()
  for (let k = h.userPtr[u]; k < h.userPtr[u + 1]; k++)
    owned.set(h.item[k], { count: h.count[k], last: h.lastTime[k], baskets: h.baskets ? h.baskets[k] : undefined })
  const vector = mf ? mf.userFactors.subarray(u * mf.dim, (u + 1) * mf.dim) : null
  const baskets = h.userBaskets ? h.userBaskets[u] : 1
  return userContextFromOwned(owned, h.userLastTime[u], stats, vector, baskets, referenceTime)
}

export function userContextFromOwned(
  owned: Map<number, OwnedEntry>,
  lastTime: number,
  stats: ItemStats,
  vector: Float32Array | null,
  baskets = 1,
  referenceTime = lastTime
): UserContext {
  let total = 0
  const categoryShare = new Map<number, number>()
  const departmentShare = new Map<number, number>()
  const brandShare = new Map<number, number>()
  for (const [i, e] of owned) {
    total += e.count
    addTo(categoryShare, stats.category[i], e.count)
    addTo(departmentShare, stats.department[i], e.count)
    addTo(brandShare, stats.brand[i], e.count)
  }
  for (const m of [categoryShare, departmentShare, brandShare]) for (const [k, v] of m) m.set(k, v / total)
  return { owned, lastTime, total, baskets, referenceTime, categoryShare, departmentShare, brandShare, vector }
}

function addTo(m: Map<number, number>, key: number, v: number): void {
  if (key !== 0) m.set(key, (m.get(key) ?? 0) + v)
}

export function knownItemProfile(stats: ItemStats, mf: MfModel, i: number): ItemProfile {
  return {
    count: stats.count[i],
    recentCount: stats.recentCount[i],
    repeatRate: stats.repeatRate[i],
    department: stats.department[i],
    category: stats.category[i],
    brand: stats.brand[i],
    vector: mf.itemFactors.subarray(i * mf.dim, (i + 1) * mf.dim),
    bias: mf.itemBias[i],
    buyers: stats.buyers ? stats.buyers[i] : undefined,
    lastSold: stats.lastSold ? stats.lastSold[i] : undefined,
  }
}

/** Writes the FEATURE_COUNT features of (user, item) into out[offset...]. */
export function writeFeatures(
  ctx: UserContext,
  itemIndex: number,
  item: ItemProfile,
  out: Float64Array,
  offset: number
): void {
  const own = itemIndex >= 0 ? ctx.owned.get(itemIndex) : undefined
  const freq = own ? own.count : 0
  const logFreq = Math.log1p(freq)
  const logPop = Math.log1p(item.count)
  const logUser = Math.log1p(ctx.total)
  out[offset] = logFreq
  out[offset + 1] = own ? 1 : 0
  out[offset + 2] = own ? Math.log1p(Math.max(0, ctx.lastTime - own.last) / DAY) : 0
  out[offset + 3] = logPop
  out[offset + 4] = Math.log1p(item.recentCount)
  out[offset + 5] = item.repeatRate
  out[offset + 6] = item.repeatRate * logFreq
  out[offset + 7] = ctx.total > 0 ? freq / ctx.total : 0
  out[offset + 8] = ctx.categoryShare.get(item.category) ?? 0
  out[offset + 9] = ctx.departmentShare.get(item.department) ?? 0
  out[offset + 10] = ctx.brandShare.get(item.brand) ?? 0
  out[offset + 11] = ctx.vector ? dot(ctx.vector, item.vector) + item.bias : item.bias
  out[offset + 12] = logUser
  out[offset + 13] = logPop * logUser
  const itemBaskets = own ? (own.baskets ?? own.count) : 0
  const buyers = item.buyers ?? item.count
  out[offset + 14] = Math.log1p(itemBaskets)
  out[offset + 15] = own && own.last >= ctx.lastTime ? 1 : 0
  out[offset + 16] = Math.log1p(ctx.baskets)
  out[offset + 17] = Math.log1p(Math.max(0, ctx.referenceTime - ctx.lastTime) / DAY)
  out[offset + 18] = Math.log1p(buyers)
  out[offset + 19] = Math.log1p(Math.max(0, ctx.referenceTime - (item.lastSold ?? ctx.referenceTime)) / DAY)
  out[offset + 20] = Math.log1p((ctx.categoryShare.get(item.category) ?? 0) * ctx.total)
  out[offset + 21] = Math.log((item.count + 1) / (buyers + 1))
  out[offset + 22] = ctx.baskets > 0 ? itemBaskets / ctx.baskets : 0
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let f = 0; f < a.length; f++) s += a[f] * b[f]
  return s
}
