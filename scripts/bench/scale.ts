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
} from "../lib/medusa-store"
import { buildScaleData } from "./scale-data"
import { groupPids } from "../lib/processes"
import { welcomePolicy } from "../../integration-tests/helpers/policies"

/**
 * A million customers (issue #19): `npm run bench -- --only scale [--customers N] [--interactions M]`.
 *
 * 1. The demo store (`node scripts/demo.js --seed-only`, the Complete Journey seed) in a throwaway
 *    database, or a copy of BENCH_SCALE_TEMPLATE (a demo database seeded earlier; copied, never changed).
 * 2. Its seeded history scaled inside Postgres to N customers and M interactions with new ids
 *    (scripts/bench/scale-data.ts; default 1,000,000 / 20,000,000); the demo's own customers stay real
 *    Medusa customers, and the BENCH_SCALE_SHOPPERS (default 300) with most purchases get a login.
 * 3. `medusa exec scripts/bench/scale-prepare.ts`: the recommender and the propensity model trained
 *    through the registry, then the batch scoring of every customer (scale_train_s, ..., its peak RSS).
 * 4. `medusa start` serving the store; once it says the model is prepared, per logged-in customer in one
 *    loop: `GET /store/customers/me/recommendations?limit=50` (first and repeat) and `GET
 *    /store/customers/me` with the same session (scale_recommendations_vs_me_p99 = the ratio of their
 *    p99s); then carts: BENCH_SCALE_DECISION_SHOPPERS (default 100) shoppers add 3 items each, timing the
 *    offer decision inside the cart request (UPLIFT_DECISION_TIMINGS_FILE, as the cart-decision bench).
 *    scale_serving_rss_mb is the serving process's peak RSS (VmHWM) over all of it.
 *
 * env: DB_HOST / DB_USERNAME / DB_PASSWORD, BENCH_SCALE_TEMPLATE, BENCH_KEEP_DB=1, BENCH_SCALE_SHOPPERS,
 * BENCH_SCALE_DECISION_SHOPPERS.
 */

const LIMIT = 50
const DEMO_ADMIN = { email: "admin@medusa-uplift.local", password: "uplift-demo" }
const RSS_GOAL_MB = 2_048
const RATIO_GOAL = 1.2
const log = sectionLogger("scale")

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name)
  if (at < 0) return fallback
  const value = Number(String(process.argv[at + 1]).replace(/_/g, ""))
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${process.argv[at + 1]}`)
  return value
}

interface Prepared {
  modelId: string
  trainMs: number
  propensityMs: number
  batchMs: number
  scoredCustomers: number
  provider: string | null
  peakRssMb: number
  recommenderArtifactMb: number
  propensityArtifactMb: number
  recommenderStateRows: number
  customerStatesTableMb: number
  publishableKey: string
  regionId: string
  password: string
  emails: string[]
  variantIds: string[]
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b)

/** Peak resident memory (VmHWM, MiB) of the largest process in the server's process group (the forked server). */
function peakRssMb(server: Server): number {
  let peak = 0
  for (const pid of groupPids(server.child.pid!)) {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024)
    } catch {
      // gone meanwhile
    }
  }
  return peak
}

async function waitPrepared(server: Server, admin: Record<string, string>, modelId: string) {
  const deadline = Date.now() + 1_800_000
  for (;;) {
    const { uplift } = await call(server.url, "GET", "/admin/uplift/status", undefined, admin)
    if (uplift.recommendations?.model_version === modelId && uplift.recommendations.prepared) return
    if (Date.now() > deadline) throw new Error(`the server never prepared model ${modelId}: ${JSON.stringify(uplift.recommendations)}`)
    await sleep(1_000)
  }
}

async function timed(base: string, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<{ ms: number; data: any }> {
  const started = performance.now()
  const response = await fetch(`${base}${url}`, {
    method,
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const data = await response.json()
  const ms = performance.now() - started
  if (!response.ok) throw new Error(`${method} ${url} -> ${response.status}: ${JSON.stringify(data).slice(0, 300)}`)
  return { ms, data }
}

async function createDatabase(database: string, databaseUrl: string, work: string): Promise<void> {
  const template = process.env.BENCH_SCALE_TEMPLATE
  if (!template) {
    await runLogged(process.execPath, [path.join(ROOT, "scripts/demo.js"), "--seed-only", "--reset"], ROOT, { ...process.env, DATABASE_URL: databaseUrl }, path.join(work, "seed.log"))
    return
  }
  const postgres = new Client({ connectionString: dbUrl("postgres") })
  await postgres.connect()
  try {
    await postgres.query(`create database ${database} template ${template}`)
  } finally {
    await postgres.end()
  }
}

async function measure(): Promise<BenchResult[]> {
  const customers = flag("--customers", 1_000_000)
  const interactions = flag("--interactions", 20_000_000)
  const shoppersWanted = Number(process.env.BENCH_SCALE_SHOPPERS ?? 300)
  const decisionShoppers = Number(process.env.BENCH_SCALE_DECISION_SHOPPERS ?? 100)
  const started = Date.now()
  const step = (message: string) => log(`${Math.round((Date.now() - started) / 1000)}s ${message}`)
  const database = `uplift_bench_scale_${process.pid}`
  const databaseUrl = dbUrl(database)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-bench-scale-"))
  const timingsFile = path.join(work, "decisions.jsonl")
  let server: Server | undefined
  try {
    dropIfInterrupted(database)
    await createDatabase(database, databaseUrl, work)
    step(process.env.BENCH_SCALE_TEMPLATE ? `demo store copied from ${process.env.BENCH_SCALE_TEMPLATE}` : "demo store seeded")
    const db = new Client({ connectionString: databaseUrl })
    await db.connect()
    const data = await buildScaleData(db, { customers, interactions, log: step }).finally(() => db.end())
    const env = storeEnv(databaseUrl)
    const preparedFile = path.join(work, "prepared.json")
    await medusa(["exec", "./scripts/bench/scale-prepare.ts"], ROOT, { ...env, BENCH_OUT: preparedFile, BENCH_SHOPPERS: String(shoppersWanted + 1) }, path.join(work, "prepare.log"))
    const prepared = JSON.parse(fs.readFileSync(preparedFile, "utf8")) as Prepared
    step(
      `trained: recommender ${round(prepared.trainMs / 1000, 1)} s, propensity ${round(prepared.propensityMs / 1000, 1)} s; ` +
        `batch scoring of ${prepared.scoredCustomers} customers ${round(prepared.batchMs / 1000, 1)} s; training process peak RSS ${Math.round(prepared.peakRssMb)} MiB`
    )

    server = startServer("with-plugin", ROOT, { ...env, UPLIFT_DECISION_TIMINGS_FILE: timingsFile }, await freePort(), path.join(work, "server.log"))
    await waitHealthy(server)
    step(`store up (peak RSS so far ${Math.round(peakRssMb(server))} MiB)`)
    const admin = { authorization: `Bearer ${(await call(server.url, "POST", "/auth/user/emailpass", DEMO_ADMIN)).token}` }
    const shoppers: Record<string, string>[] = []
    for (const email of prepared.emails) {
      const { token } = await call(server.url, "POST", "/auth/customer/emailpass", { email, password: prepared.password })
      shoppers.push({ "x-publishable-api-key": prepared.publishableKey, authorization: `Bearer ${token}` })
    }
    const url = `/store/customers/me/recommendations?limit=${LIMIT}&region_id=${prepared.regionId}`
    const warmStarted = Date.now()
    const warm = await timed(server.url, "GET", url, shoppers[0])
    if (warm.data.model_version !== prepared.modelId) throw new Error(`unexpected first answer ${JSON.stringify(warm.data).slice(0, 300)}`)
    await waitPrepared(server, admin, prepared.modelId)
    const warmS = (Date.now() - warmStarted) / 1000
    step(`model prepared in ${round(warmS, 1)} s (peak RSS so far ${Math.round(peakRssMb(server))} MiB); timing ${shoppers.length - 1} customers`)

    const recs: number[] = []
    const me: number[] = []
    let items = 0
    for (const headers of shoppers.slice(1)) {
      const first = await timed(server.url, "GET", url, headers)
      items += first.data.recommendations.length
      recs.push(first.ms, (await timed(server.url, "GET", url, headers)).ms)
      me.push((await timed(server.url, "GET", "/store/customers/me", headers)).ms)
    }
    const recsP99 = quantile(sorted(recs), 0.99)
    const meP99 = quantile(sorted(me), 0.99)
    step(`recommendations p99 ${round(recsP99, 1)} ms, /store/customers/me p99 ${round(meP99, 1)} ms`)

    // Offer decisions inside the cart request, for the same real customers (half of them in the holdout).
    // A failure here is reported (no decisions timed fails the section) without losing the other figures.
    const cartRequests: number[] = []
    try {
      const policy = { ...welcomePolicy, name: "Bench scale 10%", rounds: ["first_order", "repeat"], holdout_percent: 50 }
      await call(server.url, "POST", "/admin/discount-policies", policy, admin)
      for (const headers of shoppers.slice(1, 1 + decisionShoppers)) {
        const { cart } = await call(server.url, "POST", "/store/carts", { region_id: prepared.regionId }, headers)
        for (let add = 0; add < 3; add++) {
          const body = { variant_id: prepared.variantIds[(add * 7 + cartRequests.length) % prepared.variantIds.length], quantity: 1 }
          cartRequests.push((await timed(server.url, "POST", `/store/carts/${cart.id}/line-items`, headers, body)).ms)
        }
      }
    } catch (error) {
      step(`cart requests failed: ${(error as Error).message}`)
    }
    const decisions = fs.existsSync(timingsFile)
      ? sorted(fs.readFileSync(timingsFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line).ms as number))
      : []
    step(`${decisions.length} decisions timed: p99 ${round(quantile(decisions, 0.99), 2)} ms; add-to-cart p99 ${round(quantile(sorted(cartRequests), 0.99), 1)} ms`)
    const rss = peakRssMb(server)
    step(`serving process peak RSS ${Math.round(rss)} MiB`)
    return [
      { benchmark: "scale_serving_rss_mb", value: Math.round(rss), unit: "MiB" },
      { benchmark: "scale_recommendations_vs_me_p99", value: round(recsP99 / meP99, 2), unit: "ratio" },
      { benchmark: "scale_recommendations_p99_ms", value: round(recsP99, 2), unit: "ms" },
      { benchmark: "scale_recommendations_p50_ms", value: round(quantile(sorted(recs), 0.5), 2), unit: "ms" },
      { benchmark: "scale_store_customer_me_p99_ms", value: round(meP99, 2), unit: "ms" },
      { benchmark: "scale_recommendations_items_per_request", value: round((items / Math.max(1, shoppers.length - 1)), 1), unit: "items" },
      { benchmark: "scale_decision_p99_ms", value: round(quantile(decisions, 0.99), 2), unit: "ms" },
      { benchmark: "scale_decision_p50_ms", value: round(quantile(decisions, 0.5), 2), unit: "ms" },
      { benchmark: "scale_decisions_timed", value: decisions.length, unit: "count" },
      { benchmark: "scale_add_to_cart_p99_ms", value: round(quantile(sorted(cartRequests), 0.99), 2), unit: "ms" },
      { benchmark: "scale_batch_scoring_s", value: round(prepared.batchMs / 1000, 1), unit: "s" },
      { benchmark: "scale_batch_scored_customers", value: prepared.scoredCustomers, unit: "customers" },
      { benchmark: "scale_train_s", value: round(prepared.trainMs / 1000, 1), unit: "s" },
      { benchmark: "scale_train_propensity_s", value: round(prepared.propensityMs / 1000, 1), unit: "s" },
      { benchmark: "scale_train_process_rss_mb", value: Math.round(prepared.peakRssMb), unit: "MiB" },
      // The registry's artifact of each model (uplift_model_version.size_bytes): one string, V8's limit is 512 MiB;
      // without the customers (their rows below) it grows with the catalog only.
      { benchmark: "scale_recommender_artifact_mb", value: round(prepared.recommenderArtifactMb, 1), unit: "MiB" },
      { benchmark: "scale_propensity_artifact_mb", value: round(prepared.propensityArtifactMb, 1), unit: "MiB" },
      // The trained customers of both models live in Postgres rows (per version), not in the artifacts.
      { benchmark: "scale_recommender_state_rows", value: prepared.recommenderStateRows, unit: "rows" },
      { benchmark: "scale_customer_states_table_mb", value: round(prepared.customerStatesTableMb, 1), unit: "MiB" },
      { benchmark: "scale_warm_s", value: round(warmS, 1), unit: "s" },
      { benchmark: "scale_data_build_s", value: round(data.buildS, 1), unit: "s" },
      { benchmark: "scale_customers", value: data.customers, unit: "customers" },
      { benchmark: "scale_interactions", value: data.interactions, unit: "rows" },
      { benchmark: "scale_timed_customers", value: me.length, unit: "customers" },
    ]
  } finally {
    stopServer(server)
    await sleep(1_500)
    if (!process.env.BENCH_KEEP_DB) {
      const postgres = new Client({ connectionString: dbUrl("postgres") })
      await postgres.connect()
      await dropDatabase(postgres, database).finally(() => postgres.end().catch(() => undefined))
    }
    fs.rmSync(work, { recursive: true, force: true })
  }
}

export const scaleSection: BenchSection = {
  name: "scale",
  run: measure,
  onRequest: true,
  check: (results) => {
    const value = (name: string) => results.find((result) => result.benchmark === name)?.value ?? NaN
    const problems: string[] = []
    if (!(value("scale_serving_rss_mb") <= RSS_GOAL_MB)) problems.push(`scale_serving_rss_mb ${value("scale_serving_rss_mb")} is over ${RSS_GOAL_MB}`)
    if (!(value("scale_recommendations_vs_me_p99") <= RATIO_GOAL)) problems.push(`scale_recommendations_vs_me_p99 ${value("scale_recommendations_vs_me_p99")} is over ${RATIO_GOAL}`)
    if (!(value("scale_decisions_timed") > 0)) problems.push("no offer decision was timed")
    return problems.length ? problems.join("; ") : undefined
  },
}
