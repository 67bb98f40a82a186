import { spawnSync } from "child_process"
import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import type { BenchResult, BenchSection } from "../bench"

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits

/**
 * Seeds the demo store (Complete Journey) into the integration runner's throwaway database, trains the
 * recommender, and times 50 recommendations per request through HTTP (scripts/bench/recommendations.bench.ts).
 */
function recommendationLatency(): BenchResult[] {
  const out = path.join(os.tmpdir(), `bench-recommendations-${process.pid}.json`)
  const root = path.resolve(__dirname, "../..")
  const run = spawnSync("npx", ["jest", "--runInBand", "--forceExit", "--silent", "--rootDir", root, "--testMatch", "**/scripts/bench/recommendations.bench.ts"], {
    cwd: root,
    env: {
      ...process.env,
      BENCH_OUT: out,
      TEST_TYPE: "",
      DB_HOST: process.env.DB_HOST ?? "localhost",
      DB_USERNAME: process.env.DB_USERNAME ?? "postgres",
      DB_PASSWORD: process.env.DB_PASSWORD ?? "",
      NODE_OPTIONS: `--experimental-vm-modules ${process.env.NODE_OPTIONS ?? ""}`,
    },
    encoding: "utf8",
  })
  if (!fs.existsSync(out)) throw new Error(`recommendations bench produced no result:\n${(run.stdout ?? "").slice(-3000)}\n${(run.stderr ?? "").slice(-3000)}`)
  const r = JSON.parse(fs.readFileSync(out, "utf8"))
  fs.unlinkSync(out)
  return [
    // Every request counted: each customer's first (uncached) and a repeat (cached), 50 items each.
    { benchmark: "recommendations_p99_ms", value: round(r.p99_all, 2), unit: "ms" },
    { benchmark: "recommendations_p50_ms", value: round(r.p50_all, 2), unit: "ms" },
    { benchmark: "recommendations_uncached_p99_ms", value: round(r.p99_first, 2), unit: "ms" },
    { benchmark: "recommendations_uncached_p50_ms", value: round(r.p50_first, 2), unit: "ms" },
    { benchmark: "recommendations_cached_p99_ms", value: round(r.p99_cached, 2), unit: "ms" },
    { benchmark: "similar_products_p99_ms", value: round(r.p99_similar, 2), unit: "ms" },
    { benchmark: "recommendations_items_per_request", value: round(r.mean_items, 1), unit: "items" },
    { benchmark: "recommendations_train_s", value: round(r.train_ms / 1000, 1), unit: "s" },
  ]
}

export const recommendationsSection: BenchSection = {
  name: "recommendations",
  run: async () => recommendationLatency(),
}
