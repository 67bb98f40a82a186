import { availableParallelism } from "os"
import { BaseModel, fitBase } from "./base"
import { candidateItems, embeddingTopForUsers } from "./candidates"
import { BasketRanks, IndexedData, basketRanks, foldSplit, indexInteractions, indexSubset } from "./dataset"
import { FEATURE_COUNT, knownItemProfile, userContextFromHistory, writeFeatures } from "./features"
import type { ResolvedOptions } from "./options"
import { createRng } from "./random"
import type { RankerData } from "./ranker"
import { FoldWorker, FoldWorkerInit, startFoldWorker } from "./fold-thread"
import { Interaction, ItemContent } from "./types"

/** Below this many interactions a second thread costs more than it saves. */
const PARALLEL_MIN_INTERACTIONS = 20_000

/** One internal fold: its re-ranker rows, held-out baskets and (when asked for) its base model. */
export interface Fold {
  rows: RankerData
  heldOut: Map<string, Set<string>>
  base?: BaseModel
}

/** What every fold is computed from; each thread builds its own. */
export interface FoldContext {
  interactions: Interaction[]
  indexed: IndexedData
  content: Map<string, ItemContent>
  ranks: BasketRanks
  opts: ResolvedOptions
}

export function foldContext(interactions: Interaction[], items: ItemContent[], opts: ResolvedOptions): FoldContext {
  const content = new Map(items.map((c) => [c.item, c]))
  return { interactions, indexed: indexInteractions(interactions), content, ranks: basketRanks(interactions), opts }
}

/**
 * Task k >= 1 is internal fold k (each eligible user's k-th last basket held out, the base model fitted
 * on what is older); task 0 is the base model on all interactions (no rows).
 */
export async function runFoldTask(ctx: FoldContext, k: number, keepBase: boolean): Promise<Fold | BaseModel> {
  const { interactions, content, opts } = ctx
  if (k === 0) return fitBase(interactions, ctx.indexed, content, opts, opts.seed)
  const split = foldSplit(interactions, ctx.ranks, k)
  const base = fitBase(split.train, indexSubset(ctx.indexed, split.trainIndex), content, opts, opts.seed + k)
  const rows = await foldRows(split.heldOut, base, opts, opts.seed + k)
  return { rows, heldOut: split.heldOut, base: keepBase ? base : undefined }
}

/**
 * The re-ranker's folds (foldCount of them, plus `extraFolds`) and the base model on all interactions.
 * The tasks are independent: with two threads a worker thread and this one each claim the next task
 * from a shared counter until none is left. The worker is handed back (for a validation) when asked,
 * else stopped.
 */
export async function collectFolds(
  interactions: Interaction[],
  items: ItemContent[],
  opts: ResolvedOptions,
  { extraFolds = 0, keepFirstBase = false, keepWorker = false } = {}
): Promise<{ folds: Fold[]; rankerFolds: number; base: BaseModel; worker: FoldWorker | null }> {
  const results: (Fold | BaseModel)[] = []
  let count = 0
  const report = (k: number, result: Fold | BaseModel) => {
    results[k] = result
    if (k > 0) opts.progress?.(`recs: fold ${k}/${count}, ${(result as Fold).heldOut.size} held-out baskets`)
  }
  const tasks = taskBoard()
  // The worker starts first: it boots and indexes the interactions while this thread counts the folds.
  const worker = threadCount(opts, interactions.length) > 1 ? startFoldWorker({ interactions, items, opts, keepFirstBase, tasks }, report) : null
  let rankerFolds = 0
  try {
    const ctx = foldContext(interactions, items, opts)
    rankerFolds = foldCount(ctx)
    count = rankerFolds + extraFolds
    postLastTask(tasks, count)
    for (let k = claimTask(tasks); k !== null; k = claimTask(tasks)) report(k, await runFoldTask(ctx, k, k === 1 && keepFirstBase))
    await worker?.folds
  } catch (error) {
    postLastTask(tasks, -1)
    worker?.close()
    throw error
  }
  if (!keepWorker) worker?.close()
  return { folds: results.slice(1) as Fold[], rankerFolds, base: results[0] as BaseModel, worker: keepWorker ? worker : null }
}

/**
 * Folds until the re-ranker has `rankerCustomers` held-out customers (each fold sampled down to
 * maxRankerUsers), at most `folds`: a large store needs fewer folds than a small one.
 */
function foldCount(ctx: FoldContext): number {
  const { opts } = ctx
  const customersOf = basketCountsOfCustomers(ctx)
  let customers = 0
  for (let fold = 1; fold <= opts.folds; fold++) {
    // Fold k holds out a basket of each customer with at least k + 2 baskets (see foldSplit).
    customers += Math.min(opts.maxRankerUsers, customersOf.filter((n) => n >= fold + 2).length)
    if (customers >= opts.rankerCustomers) return fold
  }
  return Math.max(1, opts.folds)
}

function basketCountsOfCustomers(ctx: FoldContext): number[] {
  const counts = new Map<string, number>()
  ctx.interactions.forEach((x, k) => counts.set(x.user, ctx.ranks.userBaskets[k]))
  return [...counts.values()]
}

/** Worker side of collectFolds: claims tasks from the shared counter until none is left, posting each result. */
export async function serveFoldTasks(
  init: FoldWorkerInit,
  post: (k: number, result: Fold | BaseModel, transfer: ArrayBuffer[]) => void
): Promise<void> {
  const ctx = foldContext(init.interactions, init.items, init.opts)
  Atomics.wait(init.tasks, 1, UNKNOWN)
  for (let k = claimTask(init.tasks); k !== null; k = claimTask(init.tasks)) {
    const result = await runFoldTask(ctx, k, k === 1 && init.keepFirstBase)
    const rows = "rows" in result ? result.rows : null
    post(k, result, rows ? [rows.x.buffer as ArrayBuffer, rows.y.buffer as ArrayBuffer, rows.weight.buffer as ArrayBuffer] : [])
  }
}

const UNKNOWN = -2

/** Shared task counter: [next unclaimed task, last task (UNKNOWN until the caller posts it)]. */
export function taskBoard(lastTask = UNKNOWN): Int32Array {
  const tasks = new Int32Array(new SharedArrayBuffer(8))
  tasks[1] = lastTask
  return tasks
}

function postLastTask(tasks: Int32Array, lastTask: number): void {
  Atomics.store(tasks, 1, lastTask)
  Atomics.notify(tasks, 1)
}

export function claimTask(tasks: Int32Array): number | null {
  const k = Atomics.add(tasks, 0, 1)
  return k <= Atomics.load(tasks, 1) ? k : null
}

function threadCount(opts: ResolvedOptions, interactions: number): number {
  if (opts.threads > 0) return opts.threads
  return interactions >= PARALLEL_MIN_INTERACTIONS ? Math.min(2, availableParallelism()) : 1
}

export function concatRows(parts: RankerData[]): RankerData {
  const n = parts.reduce((sum, p) => sum + p.y.length, 0)
  const out: RankerData = {
    x: new Float64Array(n * FEATURE_COUNT),
    y: new Uint8Array(n),
    weight: new Float64Array(n),
    featureCount: FEATURE_COUNT,
  }
  let at = 0
  for (const p of parts) {
    out.x.set(p.x, at * FEATURE_COUNT)
    out.y.set(p.y, at)
    out.weight.set(p.weight, at)
    at += p.y.length
  }
  return out
}

/** Candidates and labels of one fold's held-out baskets, scored by the fold's base model. */
async function foldRows(heldOut: Map<string, Set<string>>, base: BaseModel, opts: ResolvedOptions, seed: number): Promise<RankerData> {
  const rng = createRng(seed)
  // Beyond a few thousand customers per fold more ranker rows add little and cost re-ranker time.
  const keepShare = Math.min(1, opts.maxRankerUsers / Math.max(1, heldOut.size))
  const userRng = createRng(seed ^ 0x5bd1e995)
  const kept: { u: number; held: Set<string> }[] = []
  for (const [user, held] of heldOut) {
    if (keepShare < 1 && userRng() >= keepShare) continue
    const u = base.data.userIndex.get(user)
    if (u !== undefined) kept.push({ u, held })
  }
  const nearest = await embeddingTopForUsers(base.mf, kept.map((k) => k.u), opts.mfCandidates, opts.providers)
  const x: number[] = []
  const y: number[] = []
  const weight: number[] = []
  const row = new Float64Array(FEATURE_COUNT)
  kept.forEach(({ u, held }, k) => {
    const ctx = userContextFromHistory(base.history, base.stats, base.mf, u, base.referenceTime)
    for (const i of candidateItems(base, ctx.owned.keys(), opts.popularCandidates, nearest[k])) {
      const positive = held.has(base.data.items[i])
      // Negatives are subsampled and reweighted so the fitted logits keep their scale.
      if (!positive && rng() >= opts.negativeRate) continue
      writeFeatures(ctx, i, knownItemProfile(base.stats, base.mf, i), row, 0)
      for (let f = 0; f < FEATURE_COUNT; f++) x.push(row[f])
      y.push(positive ? 1 : 0)
      weight.push(positive ? 1 : 1 / opts.negativeRate)
    }
  })
  return { x: Float64Array.from(x), y: Uint8Array.from(y), weight: Float64Array.from(weight), featureCount: FEATURE_COUNT }
}
