import { EvalOptions, EvalRow } from "./types"
import { ProductInfo, Purchase, loadProducts, loadPurchases } from "../../src/demo/completejourney"
import { hr_at_k, ndcg_at_k } from "../../src/ml/metrics/ranking"
import { holdOutLastBaskets } from "../../src/ml/recs/dataset"
import { topN, train } from "../../src/ml/recs/hybrid"
import { Interaction, ItemContent } from "../../src/ml/recs/types"

const TASK = "completejourney-next-purchase"
const K = 10
const ANCHORS = {
  hybrid: { hr: 0.0861, ndcg: 0.0391 },
  popularity: { hr: 0.0681, ndcg: 0.0322 },
  "personal-frequency": { hr: 0.0861, ndcg: 0.0391 },
}

/** A ranking function: the top-K item ids of each evaluated household. */
type Recommender = (household: string) => string[]

/**
 * Next-purchase protocol of shared/data/README.md: each household with >= 3 baskets is evaluated on its
 * last basket, everything else trains; every product seen in training is a candidate (rebuys allowed).
 */
export async function runCompleteJourneyEval(opts: EvalOptions): Promise<EvalRow[]> {
  const started = Date.now()
  const say = (stage: string, pct: number) =>
    opts.progress?.(`${TASK}: ${stage} ${pct.toFixed(0)}% ${((Date.now() - started) / 1000).toFixed(1)}s`)
  say("loading", 0)
  const interactions = loadPurchases(opts.dataDir).map(toInteraction)
  const content = loadProducts(opts.dataDir).map(toContent)
  const { train: trainRows, heldOut } = holdOutLastBaskets(interactions, 3)
  const households = [...heldOut.keys()]
  const relevant = households.map((h) => heldOut.get(h)!)
  const score = (rec: Recommender) => scoreRecommender(rec, households, relevant)

  const rows: EvalRow[] = []
  const popularity = popularityOrder(trainRows)
  rows.push(...metricRows(score(() => popularity.slice(0, K)), "popularity"))
  rows.push(...metricRows(score(personalFrequencyRecommender(trainRows, popularity)), "personal-frequency"))

  const perSeed: { hr: number; ndcg: number }[] = []
  for (const [s, seed] of opts.seeds.entries()) {
    say(`hybrid seed ${seed}`, (100 * s) / opts.seeds.length)
    const model = await train(trainRows, content, { seed })
    perSeed.push(score((h) => topN(model, h, K).map((r) => r.item)))
  }
  say("done", 100)
  const valueIndex = Math.max(0, opts.seeds.indexOf(42))
  rows.push(seedRow("hr_at_10", perSeed.map((r) => r.hr), valueIndex, opts.seeds, ANCHORS.hybrid.hr))
  rows.push(seedRow("ndcg_at_10", perSeed.map((r) => r.ndcg), valueIndex, opts.seeds, ANCHORS.hybrid.ndcg))
  return rows
}

function toInteraction(p: Purchase): Interaction {
  return { user: p.household, item: p.product, time: p.time, basket: p.basket, quantity: p.quantity, value: p.salesValue }
}

function toContent(p: ProductInfo): ItemContent {
  return { item: p.product, department: p.department, category: p.category, brand: p.brand }
}

function scoreRecommender(rec: Recommender, households: string[], relevant: Set<string>[]): { hr: number; ndcg: number } {
  const rankings = households.map((h) => rec(h))
  const ids = new Map<string, number>()
  const toIds = (xs: Iterable<string>) => Array.from(xs, (x) => idOf(ids, x))
  const ranked = rankings.map(toIds)
  const rel = relevant.map((s) => new Set(toIds(s)))
  return { hr: hr_at_k(ranked, rel, K), ndcg: ndcg_at_k(ranked, rel, K) }
}

function idOf(ids: Map<string, number>, x: string): number {
  let v = ids.get(x)
  if (v === undefined) ids.set(x, (v = ids.size))
  return v
}

/** Items by descending number of training line items (ties: first seen first). */
export function popularityOrder(rows: Interaction[]): string[] {
  const count = new Map<string, number>()
  for (const r of rows) count.set(r.item, (count.get(r.item) ?? 0) + 1)
  return [...count.keys()].sort((a, b) => count.get(b)! - count.get(a)!)
}

/** The household's most often bought items (ties: more popular, then bought first), then popularity. */
export function personalFrequencyRecommender(rows: Interaction[], popularity: string[]): Recommender {
  const popCount = new Map<string, number>()
  for (const r of rows) popCount.set(r.item, (popCount.get(r.item) ?? 0) + 1)
  const byUser = new Map<string, Map<string, { count: number; last: number }>>()
  for (const r of rows) {
    let m = byUser.get(r.user)
    if (!m) byUser.set(r.user, (m = new Map()))
    const e = m.get(r.item)
    if (e) {
      e.count++
      e.last = Math.max(e.last, r.time)
    } else m.set(r.item, { count: 1, last: r.time })
  }
  return (household) => {
    const own = byUser.get(household) ?? new Map<string, { count: number; last: number }>()
    const mine = [...own.entries()]
      .sort((a, b) => b[1].count - a[1].count || popCount.get(b[0])! - popCount.get(a[0])!)
      .map((e) => e[0])
      .slice(0, K)
    for (const item of popularity) {
      if (mine.length >= K) break
      if (!own.has(item)) mine.push(item)
    }
    return mine
  }
}

function metricRows(r: { hr: number; ndcg: number }, baseline: keyof typeof ANCHORS): EvalRow[] {
  const a = ANCHORS[baseline]
  return [
    { task: TASK, metric: "hr_at_10", value: r.hr, anchor: a.hr, baseline },
    { task: TASK, metric: "ndcg_at_10", value: r.ndcg, anchor: a.ndcg, baseline },
  ]
}

function seedRow(metric: string, values: number[], valueIndex: number, seeds: number[], anchor: number): EvalRow {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)
  return { task: TASK, metric, value: values[valueIndex], anchor, mean, std, seeds }
}
