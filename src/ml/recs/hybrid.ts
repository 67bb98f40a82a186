import { BaseModel } from "./base"
import { CandidateSource, candidateItems, embeddingTopForUsers } from "./candidates"
import {
  FEATURE_COUNT,
  FEATURE_NAMES,
  ItemProfile,
  UserContext,
  knownItemProfile,
  userContextFromHistory,
  userContextFromOwned,
  writeFeatures,
} from "./features"
import { Fold, claimTask, collectFolds, concatRows, taskBoard } from "./folds"
import type { ValidationInput } from "./fold-thread"
import { ResolvedOptions, resolveOptions } from "./options"
import { createRng } from "./random"
import { RankerData, fitGbdtRanker, fitRanker, rankerScore } from "./ranker"
import { topKIndices } from "./topk"
import { Interaction, ItemContent, ItemStats, MfModel, Ranker, RecsModel, TrainOptions } from "./types"
import type { CustomerState } from "./customer-state"
import { derivedOf } from "../runtime/derived"

/**
 * Trains the hybrid recommender: BPR embeddings + purchase frequency/recency + popularity + content
 * shares + basket/recency/buyer features, blended by a re-ranker (boosted trees by default, or logistic)
 * fitted on baskets held out INSIDE the given interactions (each eligible user's last basket, then the one
 * before, ... up to `folds` times). GBDT settings and the share of negatives kept were chosen with
 * scripts/tune-recs.ts on validation splits inside the protocol's train rows.
 */
export async function train(interactions: Interaction[], items: ItemContent[], options: TrainOptions = {}): Promise<RecsModel> {
  return finishTraining(await prepareTraining(interactions, items, options))
}

/** HR@10 on each eligible customer's last basket, by a model that never saw those baskets. */
export interface Validation {
  hrAt10: number
  customers: number
}

/**
 * The model of train() plus an honest validation figure, without a second training: the model that
 * train() would fit on the interactions minus every eligible customer's last basket is the first internal
 * fold's base model with a re-ranker fitted on folds 2..folds+1, and those folds are the served model's
 * own (one more is collected). It scores the held-out last baskets.
 */
export async function trainValidated(
  interactions: Interaction[],
  items: ItemContent[],
  options: TrainOptions = {}
): Promise<{ model: RecsModel; validation: Validation }> {
  const opts = resolveOptions(options)
  const { folds, rankerFolds, base, worker } = await collectFolds(interactions, items, opts, { extraFolds: 1, keepFirstBase: true, keepWorker: true })
  try {
    const [first, ...later] = folds
    const input: ValidationInput = {
      base: first.base!,
      heldOut: sampleCustomers(first.heldOut, opts.maxRankerUsers, opts.seed),
      rows: concatRows(later.map((f) => f.rows)),
      options: { ...options, progress: undefined },
    }
    opts.progress?.(`recs: validation re-ranker on ${input.rows.y.length} candidates, scoring ${input.heldOut.size} last baskets`)
    // No held-out customer (nobody with 3+ baskets): validateFold's zero, without a re-ranker fitted for it.
    if (!worker || input.heldOut.size === 0) {
      return { model: finishTraining({ folds, rankerFolds, base, options }), validation: await validateFold(input) }
    }
    // The worker fits the validation re-ranker while this thread fits the served one; then both score
    // chunks of the held-out customers, whichever is free taking the next.
    const chunks = validationChunks(input.heldOut.size)
    const shared = worker.validate({ ...input, chunks })
    const model = finishTraining({ folds, rankerFolds, base, options })
    const hits = (await validationHits(input, await shared.ranker, chunks)) + (await shared.hits)
    return { model, validation: { hrAt10: hits / input.heldOut.size, customers: input.heldOut.size } }
  } finally {
    worker?.close()
  }
}

/** A seeded sample of at most n customers (all of them when there are fewer). */
function sampleCustomers(heldOut: Map<string, Set<string>>, n: number, seed: number): Map<string, Set<string>> {
  if (heldOut.size <= n) return heldOut
  const rng = createRng(seed ^ 0x2545f491)
  const keep = n / heldOut.size
  return new Map([...heldOut].filter(() => rng() < keep))
}

/** HR@10 of fold 1's base model with a re-ranker fitted on the older folds' rows. */
export async function validateFold(input: ValidationInput): Promise<Validation> {
  if (input.heldOut.size === 0) return { hrAt10: 0, customers: 0 }
  const hits = await validationHits(input, fitValidationRanker(input), validationChunks(input.heldOut.size))
  return { hrAt10: hits / input.heldOut.size, customers: input.heldOut.size }
}

export function fitValidationRanker(input: ValidationInput): Ranker {
  return fitReRanker(input.rows, resolveOptions(input.options))
}

/** Held-out customers scored per claimed task; a chunk needs one nearest-items batch. */
const VALIDATION_CHUNK = 256

/** The task board of the held-out customers' chunks (see taskBoard in folds.ts). */
export function validationChunks(customers: number): Int32Array {
  return taskBoard(Math.ceil(customers / VALIDATION_CHUNK) - 1)
}

/** Held-out customers with a hit in their top 10, over the chunks this thread claims from `chunks`. */
export async function validationHits(input: ValidationInput, ranker: Ranker, chunks: Int32Array): Promise<number> {
  const opts = resolveOptions(input.options)
  const model = assemble(input.base, ranker, opts)
  const customers = [...input.heldOut.keys()]
  let hits = 0
  for (let c = claimTask(chunks); c !== null; c = claimTask(chunks)) {
    // Every held-out customer has older baskets, so the fold's base model knows them.
    const users = customers.slice(c * VALIDATION_CHUNK, (c + 1) * VALIDATION_CHUNK).map((user) => userIndexOf(model, user)).filter((u) => u >= 0)
    const nearest = await embeddingTopForUsers(model.mf, users, model.mfCandidates, opts.providers)
    users.forEach((u, k) => {
      const ctx = userContextFromHistory(model.history, model.stats, model.mf, u, model.referenceTime)
      const top = rankItems(model, ctx, candidateItems(model, ctx.owned.keys(), model.popularCandidates + 10, nearest[k]), 10)
      const held = input.heldOut.get(model.users[u])!
      if (top.some((rec) => held.has(rec.item))) hits++
    })
  }
  return hits
}

/** The re-ranker's training rows per fold and the final base model: everything the re-ranker settings do not change. */
export interface PreparedTraining {
  folds: Fold[]
  /** The first rankerFolds folds train the served re-ranker. */
  rankerFolds: number
  base: BaseModel
  options: TrainOptions
}

/** First half of train (internal; lets scripts/tune-recs.ts compare re-ranker settings on the same folds). */
export async function prepareTraining(
  interactions: Interaction[],
  items: ItemContent[],
  options: TrainOptions = {}
): Promise<PreparedTraining> {
  const opts = resolveOptions(options)
  const { folds, rankerFolds, base } = await collectFolds(interactions, items, opts)
  return { folds, rankerFolds, base, options }
}

/** Second half of train: fits the re-ranker (settings in `overrides` replace the prepared ones). */
export function finishTraining(
  prep: PreparedTraining,
  overrides: Pick<TrainOptions, "ranker" | "gbdt" | "rankerL2"> = {}
): RecsModel {
  const opts = resolveOptions({ ...prep.options, ...overrides })
  const rows = concatRows(prep.folds.slice(0, prep.rankerFolds).map((f) => f.rows))
  opts.progress?.(`recs: fitting ${opts.ranker} re-ranker on ${rows.y.length} candidates`)
  return assemble(prep.base, fitReRanker(rows, opts), opts)
}

function assemble(base: BaseModel, ranker: Ranker, opts: ResolvedOptions): RecsModel {
  return {
    kind: "hybrid-recs",
    version: 1,
    users: base.data.users,
    items: base.data.items,
    vocab: base.vocab,
    referenceTime: base.referenceTime,
    mf: base.mf,
    stats: base.stats,
    history: base.history,
    ranker,
    popularCandidates: opts.popularCandidates,
    mfCandidates: opts.mfCandidates,
    popularOrder: base.popularOrder,
  }
}

function fitReRanker(data: RankerData, opts: ResolvedOptions): Ranker {
  if (opts.ranker === "gbdt") return fitGbdtRanker(data, [...FEATURE_NAMES], opts.gbdt, opts.seed)
  return fitRanker(data, [...FEATURE_NAMES], { l2: opts.rankerL2, iterations: 300, learningRate: 0.05 })
}

/** Owned items, the most popular items and the user's nearest items by embedding. */
function candidates(m: CandidateSource, ctx: UserContext, nPopular: number, nEmbedding: number): number[] {
  const nearest = ctx.vector && nEmbedding > 0 ? embeddingTop(m.mf, ctx.vector, nEmbedding) : []
  return candidateItems(m, ctx.owned.keys(), nPopular, nearest)
}

function embeddingTop(mf: MfModel, vector: Float32Array, n: number): Int32Array {
  return topKIndices(embeddingScores(mf, vector), n)
}

function embeddingScores(mf: MfModel, vector: Float32Array): Float32Array {
  const nItems = mf.itemBias.length
  const scores = new Float32Array(nItems)
  const d = mf.dim
  for (let i = 0; i < nItems; i++) {
    let s = mf.itemBias[i]
    for (let f = 0; f < d; f++) s += vector[f] * mf.itemFactors[i * d + f]
    scores[i] = s
  }
  return scores
}

/** A known customer id, or an anonymous/new customer described by the items they bought. */
/** A trained customer by id (a model holding its customers), by their state (splitCustomers), or folded in from items. */
export type CustomerRef = string | { state: CustomerState } | { id?: string; items: string[] }

export interface Recommendation {
  item: string
  score: number
}

/** The customer's top n items; unknown customers get the content/popularity fallback. */
export function topN(model: RecsModel, customer: CustomerRef, n: number, exclude?: Iterable<string>): Recommendation[] {
  const ctx = customerContext(model, customer)
  const excluded = new Set<number>()
  for (const id of exclude ?? []) {
    const i = itemIndexOf(model, id)
    if (i >= 0) excluded.add(i)
  }
  const items = candidates(model, ctx, model.popularCandidates + n + excluded.size, model.mfCandidates)
  return rankItems(model, ctx, items.filter((i) => !excluded.has(i)), n)
}

/** The n best of the given items by re-ranker score (ties: lower index). */
function rankItems(model: RecsModel, ctx: UserContext, items: number[], n: number): Recommendation[] {
  const row = new Float64Array(FEATURE_COUNT)
  const scored = items.map((i) => ({ i, score: scoreKnown(model, ctx, i, row) }))
  scored.sort((a, b) => b.score - a.score || a.i - b.i)
  return scored.slice(0, n).map(({ i, score }) => ({ item: model.items[i], score }))
}

/** Re-ranker logits of the given items for the customer; unknown items are scored from their content. */
export function scoreItems(model: RecsModel, customer: CustomerRef, items: (string | ItemContent)[]): Float32Array {
  const ctx = customerContext(model, customer)
  const out = new Float32Array(items.length)
  const row = new Float64Array(FEATURE_COUNT)
  items.forEach((it, k) => {
    const id = typeof it === "string" ? it : it.item
    const i = itemIndexOf(model, id)
    const profile = i >= 0 ? knownItemProfile(model.stats, model.mf, i) : coldItemProfile(model, it)
    writeFeatures(ctx, i, profile, row, 0)
    out[k] = rankerScore(model.ranker, row)
  })
  return out
}

function scoreKnown(model: RecsModel, ctx: UserContext, i: number, row: Float64Array): number {
  writeFeatures(ctx, i, knownItemProfile(model.stats, model.mf, i), row, 0)
  return rankerScore(model.ranker, row)
}

const ITEM_INDEX = Symbol("item index")
const USER_INDEX = Symbol("user index")

const indexOfIds = (ids: string[]) => new Map(ids.map((x, k) => [x, k]))

export function itemIndexOf(model: RecsModel, id: string): number {
  return derivedOf(model, ITEM_INDEX, (m) => indexOfIds(m.items)).get(id) ?? -1
}

export function userIndexOf(model: RecsModel, id: string): number {
  return derivedOf(model, USER_INDEX, (m) => indexOfIds(m.users)).get(id) ?? -1
}

function customerContext(model: RecsModel, customer: CustomerRef): UserContext {
  if (typeof customer !== "string" && "state" in customer) {
    const { owned, lastTime, vector, baskets } = customer.state
    return userContextFromOwned(owned, lastTime, model.stats, vector, baskets, model.referenceTime)
  }
  const id = typeof customer === "string" ? customer : customer.id
  const u = id === undefined ? -1 : userIndexOf(model, id)
  if (u >= 0) return userContextFromHistory(model.history, model.stats, model.mf, u, model.referenceTime)
  const owned = new Map<number, { count: number; last: number }>()
  for (const item of typeof customer === "string" ? [] : customer.items) {
    const i = itemIndexOf(model, item)
    if (i < 0) continue
    const e = owned.get(i)
    if (e) e.count++
    else owned.set(i, { count: 1, last: model.referenceTime })
  }
  const vector = foldInVector(model, [...owned.keys()])
  return userContextFromOwned(owned, model.referenceTime, model.stats, vector, 1, model.referenceTime)
}

/** A new customer's embedding: the mean embedding of the items they bought (null when none). */
function foldInVector(model: RecsModel, items: number[]): Float32Array | null {
  if (items.length === 0) return null
  const d = model.mf.dim
  const v = new Float32Array(d)
  for (const i of items) for (let f = 0; f < d; f++) v[f] += model.mf.itemFactors[i * d + f] / items.length
  return v
}

/** A never-bought item: zero popularity, average repeat rate, embedding = mean of its category (or brand). */
function coldItemProfile(model: RecsModel, item: string | ItemContent): ItemProfile {
  const c: ItemContent = typeof item === "string" ? { item } : item
  const category = Math.max(0, model.vocab.category.indexOf(c.category ?? ""))
  const department = Math.max(0, model.vocab.department.indexOf(c.department ?? ""))
  const brand = Math.max(0, model.vocab.brand.indexOf(c.brand ?? ""))
  const { vector, bias } = contentCentroid(model, category, department)
  return {
    count: 0,
    recentCount: 0,
    repeatRate: model.stats.globalRepeatRate,
    department,
    category,
    brand,
    vector,
    bias,
    buyers: 0,
  }
}

/** Mean embedding and bias of the items sharing the category (else the department, else all items). */
function contentCentroid(model: RecsModel, category: number, department: number): { vector: Float32Array; bias: number } {
  const { stats, mf } = model
  const pick =
    category > 0 && stats.category.includes(category)
      ? (i: number) => stats.category[i] === category
      : department > 0 && stats.department.includes(department)
        ? (i: number) => stats.department[i] === department
        : () => true
  const d = mf.dim
  const vector = new Float32Array(d)
  let bias = 0
  let n = 0
  for (let i = 0; i < model.items.length; i++) {
    if (!pick(i)) continue
    for (let f = 0; f < d; f++) vector[f] += mf.itemFactors[i * d + f]
    bias += mf.itemBias[i]
    n++
  }
  for (let f = 0; f < d; f++) vector[f] /= Math.max(1, n)
  return { vector, bias: bias / Math.max(1, n) }
}

export function itemEmbeddings(model: RecsModel): { ids: string[]; dim: number; vectors: Float32Array } {
  return { ids: model.items, dim: model.mf.dim, vectors: model.mf.itemFactors }
}

export function userEmbeddings(model: RecsModel): { ids: string[]; dim: number; vectors: Float32Array } {
  return { ids: model.users, dim: model.mf.dim, vectors: model.mf.userFactors }
}

/**
 * Items most similar to `item`: cosine of embeddings plus a content bonus (same category 0.3, department
 * 0.1, brand 0.1, price band 0.05). Unknown items (given with content) use their category centroid.
 */
export function similarItems(model: RecsModel, item: string | ItemContent, n: number): Recommendation[] {
  const id = typeof item === "string" ? item : item.item
  const i = itemIndexOf(model, id)
  const profile = i >= 0 ? knownItemProfile(model.stats, model.mf, i) : coldItemProfile(model, item)
  const band = i >= 0 ? model.stats.priceBand[i] : 0
  const d = model.mf.dim
  const qn = norm(profile.vector)
  const scores = new Float32Array(model.items.length)
  for (let j = 0; j < model.items.length; j++) {
    const v = model.mf.itemFactors.subarray(j * d, (j + 1) * d)
    let s = 0
    for (let f = 0; f < d; f++) s += profile.vector[f] * v[f]
    scores[j] = s / (qn * norm(v) + 1e-12) + contentBonus(model.stats, j, profile, band)
  }
  return Array.from(topKIndices(scores, n, (j) => j === i)).map((j) => ({ item: model.items[j], score: scores[j] }))
}

function contentBonus(stats: ItemStats, j: number, p: ItemProfile, band: number): number {
  let b = 0
  if (p.category > 0 && stats.category[j] === p.category) b += 0.3
  if (p.department > 0 && stats.department[j] === p.department) b += 0.1
  if (p.brand > 0 && stats.brand[j] === p.brand) b += 0.1
  if (band > 0 && stats.priceBand[j] === band) b += 0.05
  return b
}

function norm(v: Float32Array): number {
  let s = 0
  for (let f = 0; f < v.length; f++) s += v[f] * v[f]
  return Math.sqrt(s)
}
