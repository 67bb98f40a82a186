import * as path from "path"
import { loadPurchases } from "../../src/demo/completejourney"
import { resolveDataDir } from "../../src/ml/data/paths"
import { trainPropensityModel } from "../../src/ml/training/propensity"
import type { Interaction } from "../../src/ml/recs"
import type { BenchResult, BenchSection } from "./types"
import { runJestBench } from "./jest-bench"

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits

/** Boots the store with the Redis event bus (Medusa's runner, real Postgres and Redis) and times ingestion. */
function ingestionThroughput(): BenchResult[] {
  const r = runJestBench("ingestion")
  return [
    { benchmark: "events_ingested_per_second", value: round(r.events_per_second), unit: `events/s (${r.events} cart events)` },
    { benchmark: "redis_ops_per_second", value: Math.round(r.redis_ops_per_second), unit: "ops/s (pipelined SET)" },
    { benchmark: "events_vs_redis_ops", value: round((100 * r.events_per_second) / r.redis_ops_per_second, 3), unit: "%" },
  ]
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
 * Propensity training at 1x, 4x and 16x the demo history, as the training job and the demo seed run it
 * (validation figure, served model and artifact).
 */
async function trainingScaling(): Promise<BenchResult[]> {
  const base: Interaction[] = loadPurchases(resolveDataDir(path.resolve(__dirname, "../.."))).map((p) => ({
    user: p.household, item: p.product, basket: p.basket, time: p.time, quantity: p.quantity, value: p.salesValue,
  }))
  const scales = (process.env.BENCH_TRAINING_SCALES ?? "1,4,16").split(",").map(Number)
  const results: BenchResult[] = []
  for (const scale of scales) {
    const history = scaledHistory(base, scale)
    const started = process.hrtime.bigint()
    const cpuBefore = process.cpuUsage()
    await trainPropensityModel(history, [], `bench-${scale}x`)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const cpu = process.cpuUsage(cpuBefore)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    process.stderr.write(`[bench training] propensity training ${scale}x (${history.length} purchases): ${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} CPU s\n`)
    results.push({ benchmark: `train_propensity_${scale}x_s`, value: round(seconds), unit: `s (${history.length} purchases)` })
    // CPU time of all the process's threads: steadier than wall time on a shared machine.
    results.push({ benchmark: `train_propensity_${scale}x_cpu_s`, value: round(cpuSeconds), unit: "CPU s, all threads" })
  }
  return results
}

export const ingestionSection: BenchSection = {
  name: "ingestion",
  run: async () => ingestionThroughput(),
}

/** The training figures alone (no store boot): `npm run bench -- --json --only training`. */
export const trainingSection: BenchSection = {
  name: "training",
  run: trainingScaling,
}
