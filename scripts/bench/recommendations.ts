import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { Client } from "pg"
import type { BenchResult, BenchSection } from "./types"
import {
  call,
  dbUrl,
  dropDatabase,
  dropIfInterrupted,
  freePort,
  medusa,
  quantile,
  ROOT,
  round,
  runLogged,
  sectionLogger,
  Server,
  sleep,
  startServer,
  stopServer,
  storeEnv,
  waitHealthy,
  writeBareApp,
} from "../lib/medusa-store"

/**
 * Recommendations as a product page gets them: the demo store (`node scripts/demo.js --seed-only`, the
 * Complete Journey seed) in a throwaway database, served by `medusa start` in its own process, and timed
 * from this process through HTTP with keep-alive connections. The recommender is trained first
 * (scripts/bench/recommendation-shoppers.ts, which also gives the 300 customers with most purchases a
 * login); the server loads it on the first request and precomputes rankings, cards and similar items,
 * and requests are timed once `GET /admin/uplift/status` says the model is prepared.
 *
 * Per customer, in one loop: `GET /store/customers/me/recommendations?limit=50` (their first request),
 * the same again (a repeat), and `GET /store/customers/me` twice with the same key and session (as many as
 * recommendation requests, interleaved with them), the floor of
 * Medusa's own request handling measured side by side, on this store and on a bare Medusa app (no plugin)
 * on the same database, so that the plugin's cost to Medusa's own routes shows too. Then
 * `GET /store/products/:id/similar?limit=50` for 100 products.
 *
 * env: BENCH_RECS_CUSTOMERS (default 300), DB_HOST / DB_USERNAME / DB_PASSWORD, BENCH_KEEP_DB=1,
 * BENCH_RECS_DATABASE (a demo database seeded earlier, reused and kept).
 */

const CUSTOMERS = Number(process.env.BENCH_RECS_CUSTOMERS ?? 300)
const LIMIT = 50
const DEMO_ADMIN = { email: "admin@medusa-uplift.local", password: "uplift-demo" }
const log = sectionLogger("recommendations")

interface Prepared {
  modelId: string
  trainMs: number
  publishableKey: string
  regionId: string
  password: string
  emails: string[]
  productIds: string[]
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b)

function seedDemo(databaseUrl: string, logFile: string): Promise<void> {
  return runLogged(process.execPath, [path.join(ROOT, "scripts/demo.js"), "--seed-only", "--reset"], ROOT, { ...process.env, DATABASE_URL: databaseUrl }, logFile)
}

/** The served model is the trained one and its rankings, cards and similar items are precomputed. */
async function waitPrepared(server: Server, admin: Record<string, string>, modelId: string) {
  const deadline = Date.now() + 600_000
  for (;;) {
    const { uplift } = await call(server.url, "GET", "/admin/uplift/status", undefined, admin)
    if (uplift.recommendations?.model_version === modelId && uplift.recommendations.prepared) return
    if (Date.now() > deadline) throw new Error(`the server never prepared model ${modelId}: ${JSON.stringify(uplift.recommendations)}`)
    await sleep(500)
  }
}

async function timed(base: string, url: string, headers: Record<string, string>): Promise<{ ms: number; data: any }> {
  const started = performance.now()
  const response = await fetch(`${base}${url}`, { headers })
  const data = await response.json()
  const ms = performance.now() - started
  if (!response.ok) throw new Error(`GET ${url} -> ${response.status}: ${JSON.stringify(data).slice(0, 300)}`)
  return { ms, data }
}

async function measure(): Promise<BenchResult[]> {
  const started = Date.now()
  const step = (message: string) => log(`${Math.round((Date.now() - started) / 1000)}s ${message}`)
  // BENCH_RECS_DATABASE: a demo database seeded earlier, reused as it is (and kept).
  const reused = process.env.BENCH_RECS_DATABASE
  const database = reused ?? `uplift_bench_recs_${process.pid}`
  const databaseUrl = dbUrl(database)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-bench-recs-"))
  let server: Server | undefined
  let bareServer: Server | undefined
  try {
    if (!reused) {
      dropIfInterrupted(database)
      await seedDemo(databaseUrl, path.join(work, "seed.log"))
    }
    step(reused ? `reusing the demo store in ${reused}` : "demo store seeded")
    const env = storeEnv(databaseUrl)
    const preparedFile = path.join(work, "prepared.json")
    await medusa(["exec", "./scripts/bench/recommendation-shoppers.ts"], ROOT, { ...env, BENCH_OUT: preparedFile, BENCH_SHOPPERS: String(CUSTOMERS + 1) }, path.join(work, "prepare.log"))
    const prepared = JSON.parse(fs.readFileSync(preparedFile, "utf8")) as Prepared
    const trainS = prepared.trainMs / 1000
    step(`recommender ${prepared.modelId} trained, ${prepared.emails.length} shoppers given a login`)

    server = startServer("with-plugin", ROOT, env, await freePort(), path.join(work, "server.log"))
    writeBareApp(path.join(work, "bare"), databaseUrl)
    bareServer = startServer("without-plugin", path.join(work, "bare"), env, await freePort(), path.join(work, "bare.log"))
    await Promise.all([waitHealthy(server), waitHealthy(bareServer)])
    step("store and bare Medusa app up")
    const admin = { authorization: `Bearer ${(await call(server.url, "POST", "/auth/user/emailpass", DEMO_ADMIN)).token}` }
    const shoppers: Record<string, string>[] = []
    for (const email of prepared.emails) {
      const { token } = await call(server.url, "POST", "/auth/customer/emailpass", { email, password: prepared.password })
      shoppers.push({ "x-publishable-api-key": prepared.publishableKey, authorization: `Bearer ${token}` })
    }
    const url = `/store/customers/me/recommendations?limit=${LIMIT}&region_id=${prepared.regionId}`
    const warmStarted = Date.now()
    const warm = await timed(server.url, url, shoppers[0])
    if (warm.data.model_version !== prepared.modelId || warm.data.recommendations.length !== LIMIT) {
      throw new Error(`unexpected first answer ${JSON.stringify(warm.data).slice(0, 300)}`)
    }
    await waitPrepared(server, admin, prepared.modelId)
    const warmS = (Date.now() - warmStarted) / 1000
    step(`model prepared in ${round(warmS, 1)} s; timing ${shoppers.length - 1} customers`)

    const first: number[] = []
    const repeat: number[] = []
    const me: number[] = []
    const bareMe: number[] = []
    let items = 0
    for (const [index, headers] of shoppers.slice(1).entries()) {
      // As many /store/customers/me requests as recommendation requests (a p99 of 300 is not one of 600),
      // one before and one after the customer's two, on alternate customers the other way round.
      const timeMe = async () => me.push((await timed(server!.url, "/store/customers/me", headers)).ms)
      if (index % 2 === 0) await timeMe()
      const a = await timed(server.url, url, headers)
      first.push(a.ms)
      items += a.data.recommendations.length
      if (index % 2 === 1) await timeMe()
      repeat.push((await timed(server.url, url, headers)).ms)
      await timeMe()
      bareMe.push((await timed(bareServer.url, "/store/customers/me", headers)).ms)
    }
    const similar: number[] = []
    const guest = { "x-publishable-api-key": prepared.publishableKey }
    for (const id of prepared.productIds) similar.push((await timed(server.url, `/store/products/${id}/similar?limit=${LIMIT}&region_id=${prepared.regionId}`, guest)).ms)
    const all = sorted([...first, ...repeat])
    step(`recommendations p50 ${round(quantile(all, 0.5), 1)} ms, p99 ${round(quantile(all, 0.99), 1)} ms; /store/customers/me p99 ${round(quantile(sorted(me), 0.99), 1)} ms`)
    return [
      // Every request counted: each customer's first and a repeat, 50 items each.
      { benchmark: "recommendations_p99_ms", value: round(quantile(all, 0.99), 2), unit: "ms" },
      { benchmark: "recommendations_p50_ms", value: round(quantile(all, 0.5), 2), unit: "ms" },
      { benchmark: "recommendations_first_p99_ms", value: round(quantile(sorted(first), 0.99), 2), unit: "ms" },
      { benchmark: "recommendations_first_p50_ms", value: round(quantile(sorted(first), 0.5), 2), unit: "ms" },
      { benchmark: "recommendations_repeat_p99_ms", value: round(quantile(sorted(repeat), 0.99), 2), unit: "ms" },
      { benchmark: "similar_products_p99_ms", value: round(quantile(sorted(similar), 0.99), 2), unit: "ms" },
      { benchmark: "similar_products_p50_ms", value: round(quantile(sorted(similar), 0.5), 2), unit: "ms" },
      // Medusa's own floor in the same run: GET /store/customers/me with the same key and session.
      { benchmark: "store_customer_me_p99_ms", value: round(quantile(sorted(me), 0.99), 2), unit: "ms" },
      { benchmark: "store_customer_me_p50_ms", value: round(quantile(sorted(me), 0.5), 2), unit: "ms" },
      // The goal: recommendations_p99_ms at most 1.1 x store_customer_me_p99_ms of the same loop.
      { benchmark: "recommendations_p99_vs_store_customer_me_p99", value: round(quantile(all, 0.99) / quantile(sorted(me), 0.99), 3), unit: "ratio" },
      // The same route on the bare Medusa app: what the plugin costs Medusa's own routes.
      { benchmark: "store_customer_me_without_plugin_p99_ms", value: round(quantile(sorted(bareMe), 0.99), 2), unit: "ms" },
      { benchmark: "store_customer_me_without_plugin_p50_ms", value: round(quantile(sorted(bareMe), 0.5), 2), unit: "ms" },
      { benchmark: "recommendations_items_per_request", value: round(items / first.length, 1), unit: "items" },
      { benchmark: "recommendations_timed_customers", value: first.length, unit: "customers" },
      { benchmark: "recommendations_train_s", value: round(trainS, 1), unit: "s" },
      // Loading the model and precomputing cards, rankings and similar items, before requests are timed.
      { benchmark: "recommendations_warm_s", value: round(warmS, 1), unit: "s" },
    ]
  } finally {
    stopServer(server)
    stopServer(bareServer)
    await sleep(1_500)
    if (!process.env.BENCH_KEEP_DB && !reused) {
      const postgres = new Client({ connectionString: dbUrl("postgres") })
      await postgres.connect()
      await dropDatabase(postgres, database).finally(() => postgres.end().catch(() => undefined))
    }
    fs.rmSync(work, { recursive: true, force: true })
  }
}


export const RECOMMENDATIONS_P99_VS_ME_MAX = 1.1

export const recommendationsSection: BenchSection = {
  name: "recommendations",
  run: measure,
  check: (results) => {
    const ratio = results.find((r) => r.benchmark === "recommendations_p99_vs_store_customer_me_p99")?.value
    return ratio !== undefined && ratio > RECOMMENDATIONS_P99_VS_ME_MAX
      ? `recommendations_p99_ms is ${ratio} x store_customer_me_p99_ms (at most ${RECOMMENDATIONS_P99_VS_ME_MAX})`
      : undefined
  },
}
