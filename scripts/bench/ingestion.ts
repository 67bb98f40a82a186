import * as path from "path"
import { loadProducts, loadPurchases } from "../../src/demo/completejourney"
import { serializeArtifact } from "../../src/ml/artifact/artifact"
import { resolveDataDir } from "../../src/ml/data/paths"
import { propensityModel, trainPropensityModel } from "../../src/ml/training/propensity"
import { fitRecommender, recommenderModel } from "../../src/ml/training/recommender"
import type { Interaction, ItemContent } from "../../src/ml/recs"
import type { BenchResult, BenchSection } from "./types"
import { runJestBench } from "./jest-bench"

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits

/**
 * Boots the store with the Redis event bus (Medusa's runner, real Postgres and Redis) and times ingestion
 * of cart events against the event bus alone (a subscriber that does nothing), rounds taking turns in one
 * run; figures are the medians. Rows are counted against the events sent, and the first round's events
 * are delivered again (they must add no row). env: BENCH_EVENTS (per round, default 4000), BENCH_ROUNDS
 * (default 3), BENCH_SETTLE_MS (the rest before each timed phase, with the queues idle, default 1000),
 * EVENT_BUS_CONCURRENCY (the store's event bus workers, default 64 here; the store's own default is 8), BENCH_INGESTION_COMPARE_READS=0 to leave out the rounds that read the carts
 * through the query graph (the plugin option ingestionCartReads "query"), timed in turns with the default.
 */
function ingestionThroughput(): BenchResult[] {
  const r = runJestBench("ingestion")
  const figures = (f: { perSecond: number; cpuMsPerEvent: number }) => `${round(f.perSecond)} events/s (${round(f.cpuMsPerEvent, 3)} CPU ms/event)`
  r.rounds_detail.ingested.forEach((ingested: { perSecond: number; cpuMsPerEvent: number }, i: number) => {
    const viaQuery = r.rounds_detail.ingested_query_reads[i]
    process.stderr.write(
      `[bench ingestion] round ${i + 1}: event bus alone ${figures(r.rounds_detail.noop[i])}, ingestion ${figures(ingested)}` +
        (viaQuery ? `, ingestion reading carts through the query graph ${figures(viaQuery)}` : "") +
        "\n"
    )
  })
  const per = `events/s (median of ${r.rounds} rounds of ${r.events} cart events, event bus concurrency ${r.event_bus_concurrency})`
  return [
    { benchmark: "events_ingested_per_second", value: round(r.events_per_second), unit: per },
    { benchmark: "event_bus_noop_per_second", value: round(r.noop_per_second), unit: per.replace("cart events", "events to a subscriber that does nothing") },
    { benchmark: "ingestion_vs_event_bus", value: round(r.events_per_second / r.noop_per_second, 3), unit: "ratio of the medians" },
    { benchmark: "ingestion_cpu_ms_per_event", value: round(r.ingestion_cpu_ms_per_event, 3), unit: "CPU ms/event of the store process (median)" },
    { benchmark: "event_bus_noop_cpu_ms_per_event", value: round(r.noop_cpu_ms_per_event, 3), unit: "CPU ms/event of the store process (median)" },
    ...(r.query_reads
      ? [
          { benchmark: "events_ingested_query_reads_per_second", value: round(r.query_reads.events_per_second), unit: `${per.replace("cart events", "cart events, carts read through the query graph")}, in turns with the above` },
          { benchmark: "ingestion_query_reads_cpu_ms_per_event", value: round(r.query_reads.cpu_ms_per_event, 3), unit: "CPU ms/event of the store process (median)" },
        ]
      : []),
    { benchmark: "ingestion_rows_missing", value: r.rows_missing, unit: `rows (of ${r.events_sent} events sent)` },
    { benchmark: "ingestion_rows_doubled", value: r.rows_extra, unit: `rows (of ${r.events_sent} events sent)` },
    { benchmark: "ingestion_rows_added_by_redelivery", value: r.rows_added_by_redelivery, unit: `rows (${r.events} events delivered again)` },
    { benchmark: "redis_ops_per_second", value: Math.round(r.redis_ops_per_second), unit: "ops/s (pipelined SET)" },
    { benchmark: "events_vs_redis_ops", value: round((100 * r.events_per_second) / r.redis_ops_per_second, 3), unit: "%" },
  ]
}

/** Lost, doubled or redelivered-and-stored rows fail the section. */
function ingestionCheck(results: BenchResult[]): string | undefined {
  const wrong = results.filter((r) => r.benchmark.startsWith("ingestion_rows_") && r.value !== 0)
  return wrong.length ? wrong.map((r) => `${r.benchmark} = ${r.value}`).join(", ") : undefined
}

/** The demo history (Complete Journey purchases) repeated `scale` times under new household ids. */
function scaledHistory(base: Interaction[], scale: number): Interaction[] {
  const out: Interaction[] = []
  for (let copy = 0; copy < scale; copy++) {
    for (const x of base) out.push({ ...x, user: `${x.user}#${copy}`, basket: `${x.basket}#${copy}` })
  }
  return out
}

/**
 * Training at 1x, 4x and 16x the demo history, timed twice per scale: the propensity model alone (a
 * `{ "model": "propensity" }` training run), and the scheduled retrain that serves (the storefront
 * recommender on purchases and product content, with the propensity model built from the same fit, both
 * artifacts serialized), as the training thread runs them.
 */
async function trainingScaling(): Promise<BenchResult[]> {
  const dataDir = resolveDataDir(path.resolve(__dirname, "../.."))
  const base: Interaction[] = loadPurchases(dataDir).map((p) => ({
    user: p.household, item: p.product, basket: p.basket, time: p.time, quantity: p.quantity, value: p.salesValue,
  }))
  const content: ItemContent[] = loadProducts(dataDir).map((p) => ({ item: p.product, department: p.department, category: p.category, brand: p.brand }))
  const scales = (process.env.BENCH_TRAINING_SCALES ?? "1,4,16").split(",").map(Number)
  const results: BenchResult[] = []
  for (const scale of scales) {
    const history = scaledHistory(base, scale)
    const propensity = await timed(() => trainPropensityModel(history, [], `bench-${scale}x`))
    const scheduled = await timed(async () => {
      const input = { interactions: history, items: content, regionPopular: {} }
      const fit = await fitRecommender(input, () => undefined)
      serializeArtifact(recommenderModel(input, fit, `bench-${scale}x`).artifact)
      serializeArtifact(propensityModel(fit, `bench-${scale}x-propensity`).artifact)
    })
    process.stderr.write(
      `[bench training] ${scale}x (${history.length} purchases): propensity alone ${propensity.seconds.toFixed(1)} s (${propensity.cpuSeconds.toFixed(1)} CPU s), ` +
        `recommender and propensity as scheduled ${scheduled.seconds.toFixed(1)} s (${scheduled.cpuSeconds.toFixed(1)} CPU s)\n`
    )
    results.push({ benchmark: `train_propensity_${scale}x_s`, value: round(propensity.seconds), unit: `s (${history.length} purchases)` })
    // CPU time of all the process's threads: steadier than wall time on a shared machine.
    results.push({ benchmark: `train_propensity_${scale}x_cpu_s`, value: round(propensity.cpuSeconds), unit: "CPU s, all threads" })
    results.push({ benchmark: `train_recommender_${scale}x_s`, value: round(scheduled.seconds), unit: `s (${history.length} purchases, ${content.length} products' content; the propensity model from the same fit)` })
    results.push({ benchmark: `train_recommender_${scale}x_cpu_s`, value: round(scheduled.cpuSeconds), unit: "CPU s, all threads" })
  }
  return results
}

async function timed(work: () => Promise<unknown>): Promise<{ seconds: number; cpuSeconds: number }> {
  const started = process.hrtime.bigint()
  const cpuBefore = process.cpuUsage()
  await work()
  const cpu = process.cpuUsage(cpuBefore)
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 }
}

export const ingestionSection: BenchSection = {
  name: "ingestion",
  run: async () => ingestionThroughput(),
  check: ingestionCheck,
}

/** The training figures alone (no store boot): `npm run bench -- --json --only training`. */
export const trainingSection: BenchSection = {
  name: "training",
  run: trainingScaling,
}
