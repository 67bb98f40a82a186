/**
 * `npm run bench:ml [-- --json] [--quick] [--only response-serving]`
 * ML throughput and latency figures, side by side, on this machine's CPU (nice it on a shared box).
 * With --json stdout carries only one {"benchmark","value","unit"} line per figure; progress goes to stderr.
 * `--only response-serving` runs only the served response model's ONNX-vs-TypeScript section.
 */
import * as path from "path"
import { readCsv } from "../src/ml/data/csv"
import { makeMatrix, Matrix } from "../src/ml/data/matrix"
import { resolveDataDir } from "../src/ml/data/paths"
import { fitPlatt } from "../src/ml/calibration/calibration"
import { buildFraudFeatures, fraudRowsFromTable } from "../src/ml/fraud/features"
import { hillstromFromTable } from "../src/ml/uplift/hillstrom"
import { trainGbdt } from "../src/ml/trees/gbdt"
import { predictRaw, predictRawRow } from "../src/ml/trees/predict"
import type { TreeEnsemble } from "../src/ml/trees/types"
import { loadProducts, loadPurchases } from "../src/demo/completejourney"
import { exportBatchScoring, exportPlainMatMul, exportTreeEnsemble, treeProbability } from "../src/ml/onnx"
import { OnnxScorer, floatInput } from "../src/ml/runtime"
import { buildHistory, indexInteractions } from "../src/ml/recs/dataset"
import { trainBpr } from "../src/ml/recs/bpr"
import { train as trainRecs } from "../src/ml/recs/hybrid"
import { createRng } from "../src/ml/recs/random"
import { topKIndices } from "../src/ml/recs/topk"
import type { Interaction } from "../src/ml/recs/types"
import type { Calibrator } from "../src/ml/calibration/calibration"
import { offerFeatures } from "../src/ml/decision/offer-features"
import { ResponseExample, responseModelFromEnsemble, trainResponseModel, chosenResponseLearner } from "../src/ml/training/response"
import { hillstromFeatureInput, hillstromShoppers } from "./eval/hillstrom-shoppers"
import { median } from "./lib/stats"

interface Figure {
  benchmark: string
  value: number
  unit: string
}

const args = new Set(process.argv.slice(2))
const ONLY = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null
if (ONLY !== null && ONLY !== "response-serving") throw new Error(`--only: unknown section ${ONLY} (sections: response-serving)`)
const JSON_OUT = args.has("--json")
const QUICK = args.has("--quick")
const THREADS = Number(process.env.BENCH_THREADS ?? 2)
const started = Date.now()
const figures: Figure[] = []

function progress(stage: string, pct: number): void {
  process.stderr.write(`bench-ml: ${stage} ${pct.toFixed(0)}% ${((Date.now() - started) / 1000).toFixed(1)}s\n`)
}

function report(benchmark: string, value: number, unit: string): void {
  const f = { benchmark, value: Number(value.toPrecision(4)), unit }
  figures.push(f)
  if (JSON_OUT) process.stdout.write(JSON.stringify(f) + "\n")
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6
}

async function timeMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = nowMs()
  await fn()
  return nowMs() - t
}

/** Batch top-10 scoring (MatMul + TopK graph) against ORT's own bare MatMul on the same shapes. */
async function benchBatchScoring(): Promise<void> {
  const users = QUICK ? 2000 : 10000
  const items = 5000
  const dim = 64
  const batch = 1000
  const rng = createRng(1)
  const itemFactors = Float32Array.from({ length: items * dim }, () => rng() - 0.5)
  const userFactors = Float32Array.from({ length: users * dim }, () => rng() - 0.5)
  const session = { providers: ["cpu"], intraOpNumThreads: THREADS }
  const scoring = await OnnxScorer.fromBytes(exportBatchScoring(itemFactors, dim, 10), session)
  const matmul = await OnnxScorer.fromBytes(exportPlainMatMul(), session)
  // Same MatMul with the item factors embedded (pre-packable weights), no TopK: the closest ORT-only peer.
  const embedded = await OnnxScorer.fromBytes(exportBatchScoring(itemFactors, dim), session)
  const itemsT = new Float32Array(items * dim)
  for (let i = 0; i < items; i++) for (let f = 0; f < dim; f++) itemsT[f * items + i] = itemFactors[i * dim + f]
  const batches = Array.from({ length: users / batch }, (_, b) => userFactors.subarray(b * batch * dim, (b + 1) * batch * dim))
  const flops = 2 * users * items * dim
  const runScoring = async () => {
    for (const u of batches) await scoring.run({ user_vectors: floatInput(u, [batch, dim]) })
  }
  const runMatmul = async () => {
    for (const u of batches) await matmul.run({ a: floatInput(u, [batch, dim]), b: floatInput(itemsT, [dim, items]) })
  }
  const runEmbedded = async () => {
    for (const u of batches) await embedded.run({ user_vectors: floatInput(u, [batch, dim]) })
  }
  await runScoring()
  await runMatmul()
  await runEmbedded()
  const repeats = 5
  const tScore: number[] = []
  const tMatmul: number[] = []
  const tEmbedded: number[] = []
  for (let r = 0; r < repeats; r++) {
    tScore.push(await timeMs(runScoring))
    tMatmul.push(await timeMs(runMatmul))
    tEmbedded.push(await timeMs(runEmbedded))
    progress("batch scoring", (100 * (r + 1)) / repeats)
  }
  const scoreGflops = flops / 1e9 / (median(tScore) / 1000)
  const matmulGflops = flops / 1e9 / (median(tMatmul) / 1000)
  report("batch_scoring_gflops", scoreGflops, "GFLOP/s")
  report("ort_matmul_gflops", matmulGflops, "GFLOP/s")
  const embeddedGflops = flops / 1e9 / (median(tEmbedded) / 1000)
  report("ort_matmul_embedded_gflops", embeddedGflops, "GFLOP/s")
  report("batch_scoring_vs_ort_matmul", (100 * scoreGflops) / matmulGflops, "%")
  report("batch_scoring_vs_ort_matmul_embedded", (100 * scoreGflops) / embeddedGflops, "%")
  report("batch_scoring_top10_ms", median(tScore), `ms/${users}x${items}x${dim}`)
  // A plain TypeScript loop on a slice of the users, for scale.
  const jsUsers = 100
  const scores = new Float32Array(items)
  const tJs = await timeMs(() => {
    for (let u = 0; u < jsUsers; u++) {
      for (let i = 0; i < items; i++) {
        let s = 0
        for (let f = 0; f < dim; f++) s += userFactors[u * dim + f] * itemFactors[i * dim + f]
        scores[i] = s
      }
      topKIndices(scores, 10)
    }
  })
  report("batch_scoring_js_gflops", (2 * jsUsers * items * dim) / 1e9 / (tJs / 1000), "GFLOP/s")
  await scoring.release()
  await matmul.release()
  await embedded.release()
}

function replicateRows(m: Matrix, y: ArrayLike<number>, times: number): { x: Matrix; y: Float64Array } {
  const x = makeMatrix(m.nRows * times, m.names)
  const yy = new Float64Array(m.nRows * times)
  for (let t = 0; t < times; t++) {
    x.data.set(m.data, t * m.data.length)
    for (let i = 0; i < m.nRows; i++) yy[t * m.nRows + i] = y[i]
  }
  return { x, y: yy }
}

function loadFraud(dataDir: string): { x: Matrix; y: Float64Array } {
  const t = readCsv(path.join(dataDir, "fraud-ecommerce", "fraud_data_30k.csv"))
  const { rows, labels } = fraudRowsFromTable(t.header, t.rows)
  return { x: buildFraudFeatures(rows), y: labels }
}

/** Response (S-learner form): Hillstrom features plus the arm, target visit. */
function loadResponse(dataDir: string): { x: Matrix; y: Float64Array } {
  const h = hillstromFromTable(readCsv(path.join(dataDir, "hillstrom.csv")))
  const names = [...h.x.names, "arm_mens", "arm_womens"]
  const x = makeMatrix(h.x.nRows, names)
  for (let i = 0; i < h.x.nRows; i++) {
    x.data.set(h.x.data.subarray(i * h.x.nCols, (i + 1) * h.x.nCols), i * names.length)
    x.data[i * names.length + h.x.nCols] = h.arm[i] === 1 ? 1 : 0
    x.data[i * names.length + h.x.nCols + 1] = h.arm[i] === 2 ? 1 : 0
  }
  return { x, y: h.visit }
}

const GBDT_ROUNDS = 50

function benchGbdtTraining(name: string, data: { x: Matrix; y: Float64Array }, scales: number[]): void {
  for (const s of scales) {
    const d = replicateRows(data.x, data.y, s)
    const t = nowMs()
    trainGbdt({ x: d.x, y: d.y }, { nRounds: GBDT_ROUNDS, maxDepth: 4, earlyStoppingRounds: 0 })
    report(`train_${name}_gbdt_${s}x_s`, (nowMs() - t) / 1000, `s/${GBDT_ROUNDS} trees/${d.x.nRows} rows`)
    progress(`train ${name} ${s}x`, 100)
  }
}

/** Complete Journey with each household cloned `times` times under new ids. */
function expandInteractions(base: Interaction[], times: number): Interaction[] {
  const out: Interaction[] = []
  for (let t = 0; t < times; t++)
    for (const x of base) out.push({ ...x, user: `${x.user}#${t}`, basket: `${x.basket}#${t}` })
  return out
}

async function benchPropensityTraining(dataDir: string, scales: number[]): Promise<void> {
  const base = loadPurchases(dataDir).map((p) => ({
    user: p.household,
    item: p.product,
    time: p.time,
    basket: p.basket,
    quantity: p.quantity,
    value: p.salesValue,
  }))
  const epochs = 10
  for (const s of scales) {
    const data = indexInteractions(expandInteractions(base, s))
    const history = buildHistory(data)
    const t = nowMs()
    trainBpr(history, data.items.length, { dim: 32, epochs, learningRate: 0.05, regularization: 0.01, seed: 42 })
    report(`train_propensity_bpr_${s}x_s`, (nowMs() - t) / 1000, `s/${epochs} epochs/${history.item.length} pairs`)
    progress(`train propensity ${s}x`, 100)
  }
  const content = loadProducts(dataDir).map((p) => ({ item: p.product, department: p.department, category: p.category, brand: p.brand }))
  const t = nowMs()
  await trainRecs(base, content, { seed: 42 })
  report("train_propensity_hybrid_1x_s", (nowMs() - t) / 1000, `s/${base.length} interactions`)
  progress("train propensity hybrid 1x", 100)
}

interface CheckoutModels {
  fraud: { ensemble: TreeEnsemble; calibrator: Calibrator; width: number }
  response: { ensemble: TreeEnsemble; width: number }
}

function trainCheckoutModels(fraud: { x: Matrix; y: Float64Array }, response: { x: Matrix; y: Float64Array }): CheckoutModels {
  const f = trainGbdt({ x: fraud.x, y: fraud.y }, { nRounds: 300, maxDepth: 4, earlyStoppingRounds: 0 })
  const calibrator = fitPlatt(predictRaw(f.model, fraud.x), fraud.y)
  const r = trainGbdt({ x: response.x, y: response.y }, { nRounds: 100, maxDepth: 3, earlyStoppingRounds: 0 })
  return {
    fraud: { ensemble: f.model, calibrator, width: fraud.x.nCols },
    response: { ensemble: r.model, width: response.x.nCols },
  }
}

/** Offer ladder: arm rows differ only in the two arm indicators; pick the best expected visit gain net of cost. */
const OFFER_COST = [0, 0.01, 0.015]

function offerRows(customer: Float32Array, width: number): Float32Array {
  const rows = new Float32Array(3 * width)
  for (let a = 0; a < 3; a++) {
    rows.set(customer, a * width)
    rows[a * width + width - 2] = a === 1 ? 1 : 0
    rows[a * width + width - 1] = a === 2 ? 1 : 0
  }
  return rows
}

function bestOffer(probabilities: ArrayLike<number>): number {
  let best = 0
  for (let a = 1; a < 3; a++) if (probabilities[a] - OFFER_COST[a] > probabilities[best] - OFFER_COST[best]) best = a
  return best
}

/** One cart: one fraud probability + one offer decision, in-process, through ONNX sessions and the TS twins. */
async function benchCheckout(models: CheckoutModels, fraud: Matrix, response: Matrix): Promise<void> {
  const session = { providers: ["cpu"], intraOpNumThreads: 1 }
  const fraudOnnx = await OnnxScorer.fromBytes(exportTreeEnsemble(models.fraud.ensemble, models.fraud.calibrator), session)
  const responseOnnx = await OnnxScorer.fromBytes(exportTreeEnsemble(models.response.ensemble), session)
  const fw = models.fraud.width
  const rw = models.response.width
  const carts = QUICK ? 500 : 3000
  const warmup = 200
  const onnxMs: number[] = []
  const tsMs: number[] = []
  let disagreements = 0
  for (let k = 0; k < carts + warmup; k++) {
    const fraudRow = fraud.data.slice((k % fraud.nRows) * fw, (k % fraud.nRows + 1) * fw)
    const customer = response.data.subarray((k % response.nRows) * rw, (k % response.nRows + 1) * rw)
    let t = nowMs()
    const pf = await fraudOnnx.runMatrix("features", fraudRow, 1, "probability")
    const pr = await responseOnnx.runMatrix("features", offerRows(customer, rw), 3, "probability")
    const onnxOffer = bestOffer(pr)
    const onnxTime = nowMs() - t
    t = nowMs()
    const tf = treeProbability(models.fraud.ensemble, fraudRow, models.fraud.calibrator)
    const rows = offerRows(customer, rw)
    const tr = [0, 1, 2].map((a) => treeProbability(models.response.ensemble, rows.subarray(a * rw, (a + 1) * rw)))
    const tsOffer = bestOffer(tr)
    const tsTime = nowMs() - t
    if (k >= warmup) {
      onnxMs.push(onnxTime)
      tsMs.push(tsTime)
      if (onnxOffer !== tsOffer || Math.abs(pf[0] - tf) > 1e-5) disagreements++
    }
    if (k % 1000 === 0) progress("checkout scoring", (100 * k) / (carts + warmup))
  }
  report("checkout_scoring_p50_ms", median(onnxMs), "ms")
  report("checkout_scoring_p99_ms", quantile(onnxMs, 0.99), "ms")
  report("checkout_scoring_ts_p50_ms", median(tsMs), "ms")
  report("checkout_scoring_ts_p99_ms", quantile(tsMs, 0.99), "ms")
  report("checkout_scoring_onnx_ts_disagreements", disagreements, "carts")
  report("checkout_fraud_trees", models.fraud.ensemble.trees.length, "trees")
  await fraudOnnx.release()
  await responseOnnx.release()
}

/**
 * The response model as it serves: trainResponseModel (the training job's function) fitted on Hillstrom rows
 * as a decision log (arms as levels 0, 10, 15, propensity 1/3), then one decision's scoring (P(buy) at every
 * level for one shopper, from the shopper's feature record, as the decision engine asks) timed through the
 * ONNX graph and through the TypeScript scorer of the same trees, alternating call by call.
 */
async function benchResponseServing(dataDir: string): Promise<void> {
  const levelOf: Record<string, number> = { "No E-Mail": 0, "Womens E-Mail": 10, "Mens E-Mail": 15 }
  const shoppers = hillstromShoppers(readCsv(path.join(dataDir, "hillstrom.csv"))).slice(0, QUICK ? 6000 : 24000)
  const start = Date.UTC(2026, 0, 1)
  const features = shoppers.map((shopper, k) => offerFeatures(hillstromFeatureInput(shopper, start + k * 3_600_000, 100)))
  const examples: ResponseExample[] = shoppers.map((shopper, k) => ({
    features: features[k],
    discount_percent: levelOf[shopper.arm],
    propensity: 1 / 3,
    converted: shopper.visit,
    at: start + k * 3_600_000,
  }))
  progress("response serving: training the served model", 0)
  const trainStarted = nowMs()
  const { artifact } = trainResponseModel(examples, "bench")
  report("train_response_served_s", (nowMs() - trainStarted) / 1000, `s/${examples.length} decisions (${chosenResponseLearner(artifact.metrics)} chosen)`)
  const ensemble = artifact.reference as TreeEnsemble
  const columns = artifact.featureSchema.map((feature) => feature.name)
  const typescript = responseModelFromEnsemble(ensemble, artifact.version, columns)
  const onnx = await OnnxScorer.fromBytes(artifact.onnx, { providers: ["cpu"], intraOpNumThreads: 1 })
  const levels = [0, 10, 15]
  const onnxPredict = async (record: Record<string, number>) => {
    const rows = new Float32Array(levels.length * columns.length)
    levels.forEach((level, r) => columns.forEach((column, c) => (rows[r * columns.length + c] = column === "discount_percent" ? level : record[column] ?? 0)))
    return onnx.runMatrix("features", rows, levels.length, "probability")
  }
  const calls = QUICK ? 1000 : 5000
  const warmup = 300
  const rounds = 5
  const onnxUs: number[] = []
  const tsUs: number[] = []
  const roundRatios: number[] = []
  let disagreements = 0
  for (let k = 0; k < calls + warmup; k++) {
    // Per round of calls / rounds decisions, the ONNX/TS ratio of medians: load on a shared box comes in waves.
    if (k > warmup && (k - warmup) % (calls / rounds) === 0) {
      const from = (k - warmup - calls / rounds)
      roundRatios.push(median(onnxUs.slice(from)) / median(tsUs.slice(from)))
    }
    const record = features[k % features.length]
    // Alternate which side goes first, so neither always runs on a warmer cache.
    const order = k % 2 ? ["onnx", "ts"] : ["ts", "onnx"]
    let po: ArrayLike<number> = []
    let pt: number[] = []
    for (const side of order) {
      const t = nowMs()
      if (side === "onnx") po = await onnxPredict(record)
      else pt = typescript.predict(record, levels)
      const us = (nowMs() - t) * 1000
      if (k >= warmup) (side === "onnx" ? onnxUs : tsUs).push(us)
    }
    if (k >= warmup && pt.some((p, i) => Math.abs(p - po[i]) > 1e-4)) disagreements++
  }
  report("response_onnx_p50_us", median(onnxUs), "us/decision (3 levels)")
  report("response_ts_p50_us", median(tsUs), "us/decision (3 levels)")
  report("response_onnx_p99_us", quantile(onnxUs, 0.99), "us/decision (3 levels)")
  report("response_ts_p99_us", quantile(tsUs, 0.99), "us/decision (3 levels)")
  roundRatios.push(median(onnxUs.slice(calls - calls / rounds)) / median(tsUs.slice(calls - calls / rounds)))
  report("response_onnx_over_ts_p50", median(onnxUs) / median(tsUs), "ratio")
  report("response_onnx_over_ts_round_min", Math.min(...roundRatios), `ratio (${rounds} rounds of ${calls / rounds})`)
  report("response_onnx_over_ts_round_max", Math.max(...roundRatios), `ratio (${rounds} rounds of ${calls / rounds})`)
  report("response_onnx_ts_disagreements", disagreements, `decisions of ${calls} (|dP| > 1e-4)`)
  report("response_served_trees", ensemble.trees.length, "trees")
  await onnx.release()
}

async function main(): Promise<void> {
  const dataDir = resolveDataDir(path.resolve(__dirname, ".."))
  if (ONLY === "response-serving") {
    await benchResponseServing(dataDir)
    report("bench_total_s", (Date.now() - started) / 1000, "s")
    if (!JSON_OUT) printTable()
    return
  }
  const scales = QUICK ? [1, 4] : [1, 4, 16]
  progress("batch scoring", 0)
  await benchBatchScoring()
  const fraud = loadFraud(dataDir)
  const response = loadResponse(dataDir)
  progress("checkout models", 0)
  const models = trainCheckoutModels(fraud, response)
  await benchCheckout(models, fraud.x, response.x)
  await benchResponseServing(dataDir)
  await benchPropensityTraining(dataDir, scales)
  benchGbdtTraining("fraud", fraud, scales)
  benchGbdtTraining("response", response, scales)
  report("bench_total_s", (Date.now() - started) / 1000, "s")
  if (!JSON_OUT) printTable()
}

function printTable(): void {
  const width = Math.max(...figures.map((f) => f.benchmark.length))
  for (const f of figures) process.stdout.write(`${f.benchmark.padEnd(width)}  ${String(f.value).padStart(10)}  ${f.unit}\n`)
}

main().catch((e) => {
  process.stderr.write(`bench-ml failed: ${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
})
