/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { deepEqual } from "assert"
import { trainBpr } from "../bpr"
import { buildHistory, holdOutLastBaskets, indexInteractions } from "../dataset"
import { createRng } from "../random"
import { parseRecsModel, recsModelOf, serializeRecsModel, similarItems, scoreItems, topN, train, trainValidated, itemEmbeddings, userEmbeddings } from "../index"
import { FEATURE_COUNT, FEATURE_NAMES, knownItemProfile, userContextFromHistory, writeFeatures } from "../features"
import { buildItemStats } from "../dataset"
import { finishTraining, fitValidationRanker, prepareTraining, validationChunks, validationHits } from "../hybrid"
import { startFoldWorker } from "../fold-thread"
import { collectFolds, concatRows, foldContext, runFoldTask, taskBoard } from "../folds"
import { resolveOptions } from "../options"
import { Interaction, ItemContent, RecsModel } from "../types"

const CLUSTERS = 4
const ITEMS_PER_CLUSTER = 12

/** Users of cluster c buy only items of cluster c: a planted rank-CLUSTERS structure. */
function plantedInteractions(seed: number, usersPerCluster = 15, baskets = 6, perBasket = 3): Interaction[] {
  const rng = createRng(seed)
  const out: Interaction[] = []
  for (let c = 0; c < CLUSTERS; c++) {
    for (let u = 0; u < usersPerCluster; u++) {
      const user = `u${c}_${u}`
      for (let b = 0; b < baskets; b++) {
        const time = 1_000_000 + b * 86400 * 7 + u * 60
        for (let k = 0; k < perBasket; k++) {
          const item = `i${c}_${Math.floor(rng() * ITEMS_PER_CLUSTER)}`
          out.push({ user, item, time, basket: `${user}-b${b}` })
        }
      }
    }
  }
  return out
}

function catalog(): ItemContent[] {
  const items: ItemContent[] = []
  for (let c = 0; c < CLUSTERS; c++)
    for (let i = 0; i < ITEMS_PER_CLUSTER; i++) items.push({ item: `i${c}_${i}`, department: "GROCERY", category: `cat${c}`, brand: "b" })
  return items
}

const clusterOf = (id: string) => id.slice(1, id.indexOf("_"))

describe("BPR matrix factorization", () => {
  const interactions = plantedInteractions(1)
  const data = indexInteractions(interactions)
  const history = buildHistory(data)
  const result = trainBpr(history, data.items.length, { dim: 8, epochs: 40, learningRate: 0.05, regularization: 0.01, seed: 7 })

  it("decreases the training loss", () => {
    const { losses } = result
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5)
    expect(losses[9]).toBeLessThan(losses[0])
  })

  it("recovers the planted clusters: the best unseen item comes from the user's own cluster", () => {
    const { model } = result
    let inCluster = 0
    let total = 0
    data.users.forEach((user, u) => {
      const owned = new Set<number>()
      for (let k = history.userPtr[u]; k < history.userPtr[u + 1]; k++) owned.add(history.item[k])
      const scores = data.items.map((_, i) => {
        let s = model.itemBias[i]
        for (let f = 0; f < model.dim; f++) s += model.userFactors[u * model.dim + f] * model.itemFactors[i * model.dim + f]
        return { i, s }
      })
      const top = scores.filter((x) => !owned.has(x.i)).sort((a, b) => b.s - a.s).slice(0, 1)
      for (const t of top) inCluster += clusterOf(data.items[t.i]) === clusterOf(user) ? 1 : 0
      total += top.length
    })
    expect(inCluster / total).toBeGreaterThan(0.9)
  })

  it("is not fooled by noise: an untrained model does not find the clusters", () => {
    const untrained = trainBpr(history, data.items.length, { dim: 8, epochs: 0, learningRate: 0.05, regularization: 0.01, seed: 7 })
    expect(untrained.losses).toEqual([])
    const u = 0
    const scores = data.items.map((_, i) => {
      let s = 0
      for (let f = 0; f < 8; f++) s += untrained.model.userFactors[u * 8 + f] * untrained.model.itemFactors[i * 8 + f]
      return s
    })
    const inOwn = data.items.filter((id, i) => clusterOf(id) === clusterOf(data.users[u]) && scores[i] > 0).length
    expect(inOwn).toBeLessThan(ITEMS_PER_CLUSTER)
  })
})

describe("hybrid recommender", () => {
  const interactions = plantedInteractions(2)
  let model: RecsModel
  beforeAll(async () => {
    model = await train(interactions, catalog(), { seed: 3, dim: 8, epochs: 30, folds: 2, popularCandidates: 10, mfCandidates: 10 })
  })

  it("recommends a known customer's own cluster first", () => {
    let hits = 0
    let total = 0
    for (let c = 0; c < CLUSTERS; c++) {
      for (let u = 0; u < 5; u++) {
        const recs = topN(model, `u${c}_${u}`, 5)
        expect(recs).toHaveLength(5)
        hits += recs.filter((r) => clusterOf(r.item) === String(c)).length
        total += recs.length
      }
    }
    expect(hits / total).toBeGreaterThan(0.9)
  })

  it("honours exclusions and sorts by score", () => {
    const first = topN(model, "u0_0", 3)
    const next = topN(model, "u0_0", 3, [first[0].item])
    expect(next.map((r) => r.item)).not.toContain(first[0].item)
    for (let k = 1; k < next.length; k++) expect(next[k - 1].score).toBeGreaterThanOrEqual(next[k].score)
  })

  it("serves unknown customers by popularity and folds in a new customer's items", () => {
    expect(topN(model, "nobody", 4)).toHaveLength(4)
    const folded = topN(model, { items: ["i2_0", "i2_1", "i2_3"] }, 5)
    expect(folded.filter((r) => clusterOf(r.item) === "2").length).toBeGreaterThanOrEqual(4)
  })

  it("scores a never-seen item from its content, above an unrelated cold item", () => {
    const [own, other] = scoreItems(model, "u1_0", [
      { item: "new-1", category: "cat1", department: "GROCERY" },
      { item: "new-2", category: "cat3", department: "GROCERY" },
    ])
    expect(Number.isFinite(own)).toBe(true)
    expect(own).toBeGreaterThan(other)
  })

  it("finds similar items within the item's cluster", () => {
    const sims = similarItems(model, "i3_4", 5)
    expect(sims.map((s) => s.item)).not.toContain("i3_4")
    expect(sims.every((s) => clusterOf(s.item) === "3")).toBe(true)
    expect(similarItems(model, { item: "brand-new", category: "cat0" }, 3).every((s) => clusterOf(s.item) === "0")).toBe(true)
  })

  it("exposes embeddings and round-trips through JSON exactly", () => {
    expect(itemEmbeddings(model).vectors.length).toBe(model.items.length * model.mf.dim)
    expect(userEmbeddings(model).ids).toEqual(model.users)
    const copy = parseRecsModel(serializeRecsModel(model))
    expect(copy.mf.itemFactors).toEqual(model.mf.itemFactors)
    expect(topN(copy, "u2_2", 5)).toEqual(topN(model, "u2_2", 5))
  })

  it("is the same model from an artifact's already parsed reference as from its JSON text (batch scoring)", () => {
    const text = serializeRecsModel(model)
    const fromValue = recsModelOf(JSON.parse(text))
    expect(fromValue).toEqual(parseRecsModel(text))
    expect(fromValue.mf.userFactors).toBeInstanceOf(Float32Array)
    expect(fromValue.popularOrder).toBeInstanceOf(Int32Array)
    expect(topN(fromValue, "u2_2", 5)).toEqual(topN(model, "u2_2", 5))
    expect(() => recsModelOf({ kind: "other" })).toThrow("not a hybrid-recs v1 model")
  })
})

describe("re-ranker", () => {
  // Worker threads and several trainings per test: seconds on a quiet machine, more on a loaded one.
  jest.setTimeout(60_000)
  const interactions = plantedInteractions(4)
  const options = { seed: 5, dim: 8, epochs: 20, folds: 2, popularCandidates: 10, mfCandidates: 10 }

  it("uses boosted trees by default and keeps the logistic option", async () => {
    const prep = await prepareTraining(interactions, catalog(), options)
    const trees = finishTraining(prep)
    const logistic = finishTraining(prep, { ranker: "logistic" })
    expect(trees.ranker.trees?.trees.length).toBeGreaterThan(0)
    expect(logistic.ranker.trees).toBeUndefined()
    expect(logistic.ranker.weights).toHaveLength(FEATURE_COUNT)
    expect(topN(trees, "u1_1", 5)).toEqual(topN(await train(interactions, catalog(), options), "u1_1", 5))
    for (const m of [trees, logistic]) {
      const hits = topN(m, "u3_2", 5).filter((r) => clusterOf(r.item) === "3").length
      expect(hits).toBeGreaterThanOrEqual(4)
    }
    const copy = parseRecsModel(serializeRecsModel(trees))
    expect(Array.from(scoreItems(copy, "u0_1", ["i0_1", "i2_2"]))).toEqual(Array.from(scoreItems(trees, "u0_1", ["i0_1", "i2_2"])))
  })

  it("fits the same model with its folds spread over two threads as on one", async () => {
    const [one, two] = await Promise.all([1, 2].map((threads) => train(interactions, catalog(), { ...options, threads })))
    expect(two.mf.itemFactors).toEqual(one.mf.itemFactors)
    expect(two.ranker).toEqual(one.ranker)
    expect(topN(two, "u2_3", 5)).toEqual(topN(one, "u2_3", 5))
  })

  it("validates on the last baskets with the folds of the served model, on one thread or two", async () => {
    const served = await train(interactions, catalog(), options)
    const [one, two] = await Promise.all([1, 2].map((threads) => trainValidated(interactions, catalog(), { ...options, threads })))
    expect(topN(one.model, "u0_4", 5)).toEqual(topN(served, "u0_4", 5))
    expect(two).toEqual(one)
    expect(one.validation.customers).toBe(holdOutLastBaskets(interactions).heldOut.size)
    // Each customer's last basket holds items of their own cluster, which the model ranks first.
    expect(one.validation.hrAt10).toBeGreaterThan(0.8)
  })

  it("splits the validation's scoring into chunks that two scorers share, each customer counted once", async () => {
    // 600 customers: three chunks. Two scorers on one board each claim a chunk before their first await.
    const store = plantedInteractions(9, 150)
    const { folds } = await collectFolds(store, catalog(), resolveOptions({ ...options, threads: 1 }), { extraFolds: 1, keepFirstBase: true })
    const [first, ...later] = folds
    const input = { base: first.base!, heldOut: first.heldOut, rows: concatRows(later.map((f) => f.rows)), options }
    const ranker = fitValidationRanker(input)
    const alone = await validationHits(input, ranker, validationChunks(input.heldOut.size))
    const board = validationChunks(input.heldOut.size)
    const [a, b] = await Promise.all([validationHits(input, ranker, board), validationHits(input, ranker, board)])
    expect(a).toBeGreaterThan(0)
    expect(b).toBeGreaterThan(0)
    expect(a + b).toBe(alone)
    expect(alone / input.heldOut.size).toBeGreaterThan(0.8)
    expect(alone).toBeLessThanOrEqual(input.heldOut.size)
    const [one, two] = await Promise.all([1, 2].map((threads) => trainValidated(store, catalog(), { ...options, threads })))
    expect(two.validation).toEqual(one.validation)
    expect(one.validation).toEqual({ hrAt10: alone / input.heldOut.size, customers: input.heldOut.size })
  })

  it("reports a validation of no customers, not a ratio of nothing, when nobody has three baskets (two threads)", async () => {
    const twoBaskets = plantedInteractions(3, 15, 2)
    const { validation } = await trainValidated(twoBaskets, catalog(), { ...options, threads: 2 })
    expect(validation).toEqual({ hrAt10: 0, customers: 0 })
  })

  it("computes the same folds and base model in the worker thread as in this one", async () => {
    const opts = resolveOptions(options)
    const tasks = taskBoard(2)
    const fromWorker: unknown[] = []
    const worker = startFoldWorker({ interactions, items: catalog(), opts, keepFirstBase: true, tasks }, (k, result) => (fromWorker[k] = result))
    await worker.folds
    worker.close()
    expect(Atomics.load(tasks, 0)).toBeGreaterThan(2)
    const ctx = foldContext(interactions, catalog(), opts)
    // node's loose deep equality: the worker's Maps come from another realm than jest's.
    for (const k of [0, 1, 2]) {
      const here = await runFoldTask(ctx, k, k === 1)
      expect(() => deepEqual(fromWorker[k], here)).not.toThrow()
    }
  })

  it("writes basket, recency and buyer features", () => {
    const day = 86400
    const rows: Interaction[] = [
      { user: "a", item: "x", time: 0, basket: "a1" },
      { user: "a", item: "x", time: 0, basket: "a1" },
      { user: "a", item: "x", time: 2 * day, basket: "a2" },
      { user: "a", item: "y", time: 2 * day, basket: "a2" },
      { user: "b", item: "y", time: 9 * day, basket: "b1" },
    ]
    const data = indexInteractions(rows)
    const history = buildHistory(data)
    const { stats } = buildItemStats(data, history, new Map(), new Float64Array(2).fill(NaN), 9 * day, 30)
    const mf = { dim: 1, userFactors: new Float32Array(2), itemFactors: new Float32Array(2), itemBias: new Float32Array(2) }
    const ctx = userContextFromHistory(history, stats, mf, 0, 9 * day)
    const f = (i: number) => {
      const out = new Float64Array(FEATURE_COUNT)
      writeFeatures(ctx, i, knownItemProfile(stats, mf, i), out, 0)
      return Object.fromEntries(FEATURE_NAMES.map((n, k) => [n, out[k]]))
    }
    const x = f(0)
    const y = f(1)
    expect(x.log_freq).toBeCloseTo(Math.log1p(3))
    expect(x.log_item_baskets).toBeCloseTo(Math.log1p(2))
    expect(x.in_last_basket).toBe(1)
    expect(x.log_user_baskets).toBeCloseTo(Math.log1p(2))
    expect(x.log_user_idle_days).toBeCloseTo(Math.log1p(7))
    expect(x.basket_share).toBeCloseTo(1)
    expect(x.log_buyers).toBeCloseTo(Math.log1p(1))
    expect(x.log_item_idle_days).toBeCloseTo(Math.log1p(7))
    expect(y.log_buyers).toBeCloseTo(Math.log1p(2))
    expect(y.log_item_idle_days).toBe(0)
    expect(y.basket_share).toBeCloseTo(0.5)
  })
})

describe("last-basket split", () => {
  it("holds out the latest basket of users with at least 3 baskets", () => {
    const rows: Interaction[] = [
      { user: "a", item: "x", time: 1, basket: "a1" },
      { user: "a", item: "y", time: 2, basket: "a2" },
      { user: "a", item: "z", time: 3, basket: "a3" },
      { user: "a", item: "w", time: 3, basket: "a3" },
      { user: "b", item: "x", time: 1, basket: "b1" },
      { user: "b", item: "y", time: 5, basket: "b2" },
    ]
    const split = holdOutLastBaskets(rows)
    expect([...split.heldOut.keys()]).toEqual(["a"])
    expect([...split.heldOut.get("a")!]).toEqual(["z", "w"])
    expect(split.train).toHaveLength(4)
  })
})
