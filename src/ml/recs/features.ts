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
] as const
export const FEATURE_COUNT = FEATURE_NAMES.length

/** What the features need to know about one user (known or folded in from a basket list). */
export interface UserContext {
  /** item -> purchase count and last purchase time. */
  owned: Map<number, { count: number; last: number }>
  lastTime: number
  total: number
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
}

export function userContextFromHistory(
  h: PurchaseHistory,
  stats: ItemStats,
  mf: MfModel | null,
  u: number
): UserContext {
  const owned = new Map<number, { count: number; last: number }>()
  for (let k = h.userPtr[u]; k < h.userPtr[u + 1]; k++) owned.set(h.item[k], { count: h.count[k], last: h.lastTime[k] })
  const vector = mf ? mf.userFactors.subarray(u * mf.dim, (u + 1) * mf.dim) : null
  return userContextFromOwned(owned, h.userLastTime[u], stats, vector)
}

export function userContextFromOwned(
  owned: Map<number, { count: number; last: number }>,
  lastTime: number,
  stats: ItemStats,
  vector: Float32Array | null
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
  return { owned, lastTime, total, categoryShare, departmentShare, brandShare, vector }
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
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let f = 0; f < a.length; f++) s += a[f] * b[f]
  return s
}
