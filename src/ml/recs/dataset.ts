import { Interaction, ItemContent, ItemStats, PurchaseHistory } from "./types"

const DAY = 86400

/** Dense indices for users and items seen in the interactions (first-seen order). */
export interface IndexedData {
  users: string[]
  items: string[]
  userIndex: Map<string, number>
  itemIndex: Map<string, number>
  /** Parallel arrays, one entry per interaction. */
  u: Int32Array
  i: Int32Array
  time: Float64Array
  basket: string[]
  /** Dense basket index of each interaction (equal ids = equal basket strings). */
  basketId: Int32Array
}

export function indexInteractions(interactions: Interaction[]): IndexedData {
  const userIndex = new Map<string, number>()
  const itemIndex = new Map<string, number>()
  const n = interactions.length
  const u = new Int32Array(n)
  const i = new Int32Array(n)
  const time = new Float64Array(n)
  const basket: string[] = new Array(n)
  const basketId = new Int32Array(n)
  const basketIndex = new Map<string, number>()
  for (let k = 0; k < n; k++) {
    const x = interactions[k]
    u[k] = lookupOrAdd(userIndex, x.user)
    i[k] = lookupOrAdd(itemIndex, x.item)
    time[k] = x.time
    basket[k] = x.basket ?? `${x.user}@${x.time}`
    basketId[k] = lookupOrAdd(basketIndex, basket[k])
  }
  return { users: [...userIndex.keys()], items: [...itemIndex.keys()], userIndex, itemIndex, u, i, time, basket, basketId }
}

/**
 * What indexInteractions would give for the interactions at `rows` (ascending) of the indexed ones,
 * without reading their strings again: users and items renumbered in first-seen order.
 */
export function indexSubset(d: IndexedData, rows: Int32Array): IndexedData {
  const userOf = renumber(d.u, rows, d.users)
  const itemOf = renumber(d.i, rows, d.items)
  const n = rows.length
  const u = new Int32Array(n)
  const i = new Int32Array(n)
  const time = new Float64Array(n)
  const basket: string[] = new Array(n)
  const basketId = new Int32Array(n)
  for (let r = 0; r < n; r++) {
    const k = rows[r]
    u[r] = userOf.index[d.u[k]]
    i[r] = itemOf.index[d.i[k]]
    time[r] = d.time[k]
    basket[r] = d.basket[k]
    basketId[r] = d.basketId[k]
  }
  const userIndex = new Map(userOf.ids.map((id, k) => [id, k]))
  const itemIndex = new Map(itemOf.ids.map((id, k) => [id, k]))
  return { users: userOf.ids, items: itemOf.ids, userIndex, itemIndex, u, i, time, basket, basketId }
}

function renumber(codes: Int32Array, rows: Int32Array, ids: string[]): { index: Int32Array; ids: string[] } {
  const index = new Int32Array(ids.length).fill(-1)
  const kept: string[] = []
  for (let r = 0; r < rows.length; r++) {
    const c = codes[rows[r]]
    if (index[c] < 0) {
      index[c] = kept.length
      kept.push(ids[c])
    }
  }
  return { index, ids: kept }
}

function lookupOrAdd(map: Map<string, number>, key: string): number {
  let v = map.get(key)
  if (v === undefined) map.set(key, (v = map.size))
  return v
}

/** Per-user item counts, distinct baskets and last purchase times as compressed rows (items ascending). */
export function buildHistory(d: IndexedData): PurchaseHistory {
  const nU = d.users.length
  const rowsOf = rowsByUser(d)
  const n = d.u.length
  const item = new Int32Array(n)
  const count = new Float32Array(n)
  const baskets = new Float32Array(n)
  const lastTime = new Float64Array(n)
  const userPtr = new Int32Array(nU + 1)
  const userBaskets = new Float32Array(nU)
  const userLastTime = new Float64Array(nU).fill(-Infinity)
  let e = 0
  for (let u = 0; u < nU; u++) {
    // The user's rows by item, then basket: each item is one run, each new basket id in it one more basket.
    const rows = rowsOf.order.subarray(rowsOf.start[u], rowsOf.start[u + 1]).sort((a, b) => d.i[a] - d.i[b] || d.basketId[a] - d.basketId[b])
    userBaskets[u] = new Set(Array.from(rows, (k) => d.basketId[k])).size
    for (let r = 0; r < rows.length; r++) {
      const k = rows[r]
      userLastTime[u] = Math.max(userLastTime[u], d.time[k])
      const sameItem = r > 0 && d.i[rows[r - 1]] === d.i[k]
      if (!sameItem) {
        item[e] = d.i[k]
        lastTime[e] = -Infinity
        e++
      }
      count[e - 1]++
      lastTime[e - 1] = Math.max(lastTime[e - 1], d.time[k])
      if (!sameItem || d.basketId[rows[r - 1]] !== d.basketId[k]) baskets[e - 1]++
    }
    userPtr[u + 1] = e
  }
  return {
    userPtr,
    item: item.slice(0, e),
    count: count.slice(0, e),
    lastTime: lastTime.slice(0, e),
    userLastTime,
    baskets: baskets.slice(0, e),
    userBaskets,
  }
}

/** Interaction indices grouped by user (a counting sort): user u's are order[start[u], start[u+1]). */
function rowsByUser(d: IndexedData): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(d.users.length + 1)
  for (let k = 0; k < d.u.length; k++) start[d.u[k] + 1]++
  for (let u = 0; u < d.users.length; u++) start[u + 1] += start[u]
  const next = start.slice(0, d.users.length)
  const order = new Int32Array(d.u.length)
  for (let k = 0; k < d.u.length; k++) order[next[d.u[k]]++] = k
  return { order, start }
}

export interface Vocabularies {
  department: string[]
  category: string[]
  brand: string[]
}

/** Popularity, recent popularity, repeat rate and content codes of every indexed item. */
export function buildItemStats(
  d: IndexedData,
  history: PurchaseHistory,
  content: Map<string, ItemContent>,
  unitPrice: Float64Array,
  referenceTime: number,
  recentDays: number
): { stats: ItemStats; vocab: Vocabularies } {
  const nI = d.items.length
  const count = new Float32Array(nI)
  const recentCount = new Float32Array(nI)
  const lastSold = new Float64Array(nI).fill(-Infinity)
  for (let k = 0; k < d.i.length; k++) {
    count[d.i[k]]++
    lastSold[d.i[k]] = Math.max(lastSold[d.i[k]], d.time[k])
    recentCount[d.i[k]] += Math.exp(-(referenceTime - d.time[k]) / (recentDays * DAY))
  }
  const { buyers, repeaters } = countRepeatBuyers(history, nI)
  let totalBuyers = 0
  let totalRepeaters = 0
  for (let i = 0; i < nI; i++) {
    totalBuyers += buyers[i]
    totalRepeaters += repeaters[i]
  }
  const globalRepeatRate = totalBuyers > 0 ? totalRepeaters / totalBuyers : 0
  const prior = 2
  const repeatRate = new Float32Array(nI)
  for (let i = 0; i < nI; i++) repeatRate[i] = (repeaters[i] + prior * globalRepeatRate) / (buyers[i] + prior)
  const vocab: Vocabularies = { department: [""], category: [""], brand: [""] }
  const codes = { department: new Map([["", 0]]), category: new Map([["", 0]]), brand: new Map([["", 0]]) }
  const department = new Int32Array(nI)
  const category = new Int32Array(nI)
  const brand = new Int32Array(nI)
  const priceBand = new Int32Array(nI)
  for (let i = 0; i < nI; i++) {
    const c = content.get(d.items[i])
    department[i] = code(codes.department, vocab.department, c?.department)
    category[i] = code(codes.category, vocab.category, c?.category)
    brand[i] = code(codes.brand, vocab.brand, c?.brand)
    priceBand[i] = priceBandOf(c?.price ?? unitPrice[i])
  }
  return {
    stats: { count, recentCount, repeatRate, department, category, brand, priceBand, globalRepeatRate, buyers, lastSold },
    vocab,
  }
}

function code(map: Map<string, number>, list: string[], value: string | undefined): number {
  if (!value) return 0
  let v = map.get(value)
  if (v === undefined) {
    map.set(value, (v = list.length))
    list.push(value)
  }
  return v
}

/** Log-spaced price bands: 0 unknown, 1 under 1, then one band per doubling, capped at 8. */
export function priceBandOf(price: number | undefined): number {
  if (price === undefined || !(price > 0)) return 0
  return Math.max(1, Math.min(8, 2 + Math.floor(Math.log2(price))))
}

/** Distinct buyers of each item, and those of them who bought it in two or more baskets. */
function countRepeatBuyers(h: PurchaseHistory, nItems: number): { buyers: Float32Array; repeaters: Float32Array } {
  const buyers = new Float32Array(nItems)
  const repeaters = new Float32Array(nItems)
  for (let e = 0; e < h.item.length; e++) {
    buyers[h.item[e]]++
    if (h.baskets![e] > 1) repeaters[h.item[e]]++
  }
  return { buyers, repeaters }
}

/** Mean unit price (value / quantity) of each indexed item (d indexes these interactions); NaN when unknown. */
export function meanUnitPrices(interactions: Interaction[], d: IndexedData): Float64Array {
  const sum = new Float64Array(d.items.length)
  const n = new Float64Array(d.items.length)
  interactions.forEach((x, k) => {
    if (x.value === undefined || !(x.value > 0)) return
    sum[d.i[k]] += x.value / Math.max(1, x.quantity ?? 1)
    n[d.i[k]]++
  })
  return sum.map((s, i) => (n[i] > 0 ? s / n[i] : NaN))
}

export interface BasketSplit {
  train: Interaction[]
  /** Positions of the train interactions in the split's input. */
  trainIndex: Int32Array
  heldOut: Map<string, Set<string>>
}

/**
 * Holds out each user's last basket (latest time, ties by larger basket id) when the user has at least
 * minBaskets baskets; every other interaction stays in train.
 */
export function holdOutLastBaskets(interactions: Interaction[], minBaskets = 3): BasketSplit {
  return foldSplit(interactions, basketRanks(interactions), 1, minBaskets)
}

/** Per interaction: the rank of its basket among its user's baskets (0 = the last) and the user's basket count. */
export interface BasketRanks {
  rank: Int32Array
  userBaskets: Int32Array
}

export function basketRanks(interactions: Interaction[]): BasketRanks {
  const basketOf = (x: Interaction) => x.basket ?? `${x.user}@${x.time}`
  const basketTime = new Map<string, number>()
  const userBaskets = new Map<string, Set<string>>()
  for (const x of interactions) {
    const b = basketOf(x)
    basketTime.set(b, Math.max(basketTime.get(b) ?? -Infinity, x.time))
    let s = userBaskets.get(x.user)
    if (!s) userBaskets.set(x.user, (s = new Set()))
    s.add(b)
  }
  const rankOf = new Map<string, number>()
  for (const baskets of userBaskets.values()) {
    const latestFirst = [...baskets].sort((a, b) => (isLaterBasket(a, b, basketTime) ? -1 : isLaterBasket(b, a, basketTime) ? 1 : 0))
    latestFirst.forEach((b, r) => rankOf.set(b, r))
  }
  const rank = new Int32Array(interactions.length)
  const count = new Int32Array(interactions.length)
  interactions.forEach((x, k) => {
    rank[k] = rankOf.get(basketOf(x))!
    count[k] = userBaskets.get(x.user)!.size
  })
  return { rank, userBaskets: count }
}

/**
 * holdOutLastBaskets applied `fold` times in a row, in one pass: fold k holds out each user's k-th last
 * basket when the user still has minBaskets baskets after the k-1 later ones were held out; train keeps
 * every basket no fold up to k held out.
 */
export function foldSplit(interactions: Interaction[], ranks: BasketRanks, fold: number, minBaskets = 3): BasketSplit {
  const train: Interaction[] = []
  const trainIndex: number[] = []
  const heldOut = new Map<string, Set<string>>()
  interactions.forEach((x, k) => {
    const r = ranks.rank[k]
    const heldByAFold = r < fold && ranks.userBaskets[k] >= r + minBaskets
    if (!heldByAFold) {
      train.push(x)
      trainIndex.push(k)
    } else if (r === fold - 1) {
      let s = heldOut.get(x.user)
      if (!s) heldOut.set(x.user, (s = new Set()))
      s.add(x.item)
    }
  })
  return { train, trainIndex: Int32Array.from(trainIndex), heldOut }
}

function isLaterBasket(a: string, b: string, basketTime: Map<string, number>): boolean {
  const ta = basketTime.get(a)!
  const tb = basketTime.get(b)!
  if (ta !== tb) return ta > tb
  return a.length !== b.length ? a.length > b.length : a > b
}
