import { ChildProcess, spawn } from "child_process"
import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { Client } from "pg"
import type { BenchResult, BenchSection } from "../bench"

/**
 * Cart update (POST /store/carts/:id/line-items, add one item) through the real Store API, with the plugin
 * against without it, side by side on one database: the "with" server is this repo booted with
 * `medusa start` (plugin modules, hooks, subscribers); the "without" server is a throwaway app in a temp
 * dir (reusing this repo's node_modules) whose config loads no plugin. Requests rotate between the sides
 * so that noise on the shared machine hits all alike; medians per side, per offer count.
 *
 * A third side is the reference: the bare server with Medusa's own automatic 10% promotion applied to a
 * second shopper's cart, so the figures separate what applying any discount costs in Medusa from what the
 * plugin adds (`cart_update_ratio_vs_native_discount_*`).
 *
 * The shopper measured on the "with" server holds an active 10% offer (issued by the plugin on cart
 * creation), so the setPromotionContext hook looks it up, reserves budget and the tier promotion applies.
 * The "other customers'" offers are bulk-inserted by SQL into uplift_personal_offer under the same active
 * policy (0, 10,000, 100,000 rows).
 *
 * env: BENCH_CART_OFFERS (labels to run, default all), BENCH_CART_ADDS (timed adds per side per configuration, default 200), BENCH_CART_WARMUP (default 20),
 * BENCH_PROFILE_DIR (write a CPU profile of each server there),
 * DB_HOST / DB_USERNAME / DB_PASSWORD (default localhost / postgres / empty), BENCH_PORT (default 9401;
 * the "without" server takes the next port), BENCH_KEEP_DB=1 keeps the database.
 */

const ROOT = path.resolve(__dirname, "../..")
const ADDS = Number(process.env.BENCH_CART_ADDS || 200)
const WARMUP = Number(process.env.BENCH_CART_WARMUP || 20)
const ALL_OFFER_COUNTS: [string, number][] = [
  ["0", 0],
  ["10k", 10_000],
  ["100k", 100_000],
]
/** BENCH_CART_OFFERS=0,100k runs only those configurations (quick comparisons while profiling). */
const OFFER_COUNTS = process.env.BENCH_CART_OFFERS
  ? ALL_OFFER_COUNTS.filter(([label]) => process.env.BENCH_CART_OFFERS!.split(",").includes(label))
  : ALL_OFFER_COUNTS
const ADMIN = { email: "bench@uplift.test", password: "bench-password" }
const SHOPPER = { email: "bench-shopper@uplift.test", password: "bench-shopper-password" }
const NATIVE_SHOPPER = { email: "bench-native-shopper@uplift.test", password: "bench-shopper-password" }
const OFFER_CODE = "UPLIFT-10"
const NATIVE_CODE = "BENCH-NATIVE-10"
const JWT = "bench-secret"

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function log(message: string) {
  if (!process.argv.includes("--json")) console.log(`[cart-update] ${message}`)
  else console.error(`[cart-update] ${message}`)
}

function dbUrl(database: string): string {
  const user = process.env.DB_USERNAME ?? "postgres"
  const password = process.env.DB_PASSWORD ? `:${encodeURIComponent(process.env.DB_PASSWORD)}` : ""
  return `postgres://${user}${password}@${process.env.DB_HOST ?? "localhost"}:${process.env.DB_PORT ?? "5432"}/${database}`
}

/** Runs `medusa <args>` to completion; the output goes to a log file shown on failure. */
function medusa(args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, "w")
    const child = spawn(path.join(ROOT, "node_modules/.bin/medusa"), args, { cwd, env, stdio: ["ignore", out, out] })
    child.on("error", reject)
    child.on("exit", (code) => {
      fs.closeSync(out)
      if (code === 0) resolve()
      else reject(new Error(`medusa ${args.join(" ")} exited ${code}:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`))
    })
  })
}

interface Server {
  name: string
  url: string
  child: ChildProcess
  logFile: string
}

function startServer(name: string, cwd: string, env: NodeJS.ProcessEnv, port: number, logFile: string): Server {
  const out = fs.openSync(logFile, "w")
  // Own process group, so that stopping it also stops the server the CLI forks.
  const profile = process.env.BENCH_PROFILE_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}/${name}`] : []
  const child = spawn(process.execPath, [...profile, fs.realpathSync(path.join(ROOT, "node_modules/.bin/medusa")), "start"], {
    cwd,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", out, out],
    detached: true,
  })
  fs.closeSync(out)
  return { name, url: `http://localhost:${port}`, child, logFile }
}

async function waitHealthy(server: Server, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) break
    try {
      if ((await fetch(`${server.url}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await sleep(500)
  }
  throw new Error(`${server.name} server did not come up:\n${fs.readFileSync(server.logFile, "utf8").slice(-4000)}`)
}

function stopServer(server: Server | undefined) {
  if (!server?.child.pid || server.child.exitCode !== null) return
  try {
    process.kill(-server.child.pid, "SIGTERM")
  } catch {
    // already gone
  }
}

async function call(base: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url} -> ${response.status}: ${text.slice(0, 500)}`)
  return text ? JSON.parse(text) : {}
}

/** The throwaway app without the plugin: same database and secrets, no plugin modules, hooks or routes. */
function writeBareApp(dir: string, databaseUrl: string) {
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true })
  for (const name of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (name !== "medusa-uplift") fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name))
  }
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "uplift-bench-bare", private: true, dependencies: { "@medusajs/medusa": "2.21.2", "@medusajs/framework": "2.21.2" } })
  )
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2021", module: "Node16", moduleResolution: "Node16", esModuleInterop: true, skipLibCheck: true, experimentalDecorators: true, emitDecoratorMetadata: true },
      "ts-node": { swc: true },
    })
  )
  fs.writeFileSync(
    path.join(dir, "medusa-config.ts"),
    `import { defineConfig } from "@medusajs/framework/utils"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: ${JSON.stringify(databaseUrl)},
    http: { jwtSecret: ${JSON.stringify(JWT)}, cookieSecret: ${JSON.stringify(JWT)}, storeCors: "*", adminCors: "*", authCors: "*" },
  },
  admin: { disable: true },
})
`
  )
}

async function insertOffers(db: Client, policyId: string, from: number, to: number) {
  if (to <= from) return
  await db.query(
    `insert into uplift_personal_offer
       (id, policy_id, decision_id, customer_id, discount_percent, status, reserved_amount, currency_code, expires_at, reason, created_at, updated_at)
     select 'uoffer_bench_' || g, $1, 'udec_bench_' || g, 'cus_bench_' || g, 10, 'active', 2, 'usd',
            now() + interval '2 days', 'bench: another customer''s offer', now(), now()
       from generate_series($2::int, $3::int) g`,
    [policyId, from + 1, to]
  )
  await db.query("analyze uplift_personal_offer")
}

interface Side {
  name: string
  server: Server
  cartId: string
  headers: Record<string, string>
  times: number[]
}

/** One timed add-to-cart on a side; returns the cart as the Store API answered it. */
async function timedAdd(side: Side, variantId: string): Promise<any> {
  const started = performance.now()
  const { cart } = await call(side.server.url, "POST", `/store/carts/${side.cartId}/line-items`, { variant_id: variantId, quantity: 1 }, side.headers)
  side.times.push(performance.now() - started)
  return cart
}

async function loggedInShopper(server: Server, keyHeader: Record<string, string>, credentials: { email: string; password: string }) {
  const { token: registration } = await call(server.url, "POST", "/auth/customer/emailpass/register", credentials)
  const { customer } = await call(server.url, "POST", "/store/customers", { email: credentials.email, first_name: "Bench", last_name: "Shopper" }, { ...keyHeader, authorization: `Bearer ${registration}` })
  const { token } = await call(server.url, "POST", "/auth/customer/emailpass", credentials)
  return { customerId: customer.id as string, headers: { ...keyHeader, authorization: `Bearer ${token}` } }
}

/**
 * The reference: Medusa's own automatic 10% order promotion for one customer, on the bare server, so the
 * bench shows what applying any discount costs in Medusa, apart from what the plugin adds.
 */
async function createNativeDiscount(server: Server, adminHeaders: Record<string, string>, customerId: string) {
  await call(
    server.url,
    "POST",
    "/admin/promotions",
    {
      code: NATIVE_CODE,
      type: "standard",
      status: "active",
      is_automatic: true,
      application_method: { type: "percentage", target_type: "order", allocation: "across", value: 10, currency_code: "usd" },
      rules: [{ attribute: "customer.id", operator: "eq", values: [customerId] }],
    },
    adminHeaders
  )
}

async function measure(): Promise<BenchResult[]> {
  const started = Date.now()
  const database = `uplift_bench_cart_${process.pid}`
  const databaseUrl = dbUrl(database)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-bench-cart-"))
  const admin = new Client({ connectionString: dbUrl("postgres") })
  await admin.connect()
  let db: Client | undefined
  let withServer: Server | undefined
  let withoutServer: Server | undefined
  const step = (message: string) => log(`${Math.round((Date.now() - started) / 1000)}s ${message}`)
  try {
    await admin.query(`drop database if exists ${database}`)
    await admin.query(`create database ${database}`)
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: "",
      UPLIFT_REDIS_URL: "",
      MEDUSA_DISABLE_ADMIN: "true",
      JWT_SECRET: JWT,
      COOKIE_SECRET: JWT,
      STORE_CORS: "*",
      ADMIN_CORS: "*",
      AUTH_CORS: "*",
      UPLIFT_EXECUTION_PROVIDERS: "cpu",
      NODE_ENV: "production",
      LOG_LEVEL: "error",
    }
    delete env.UPLIFT_PROMOTION_CONTEXT_HOOK
    await medusa(["db:migrate"], ROOT, env, path.join(work, "migrate.log"))
    step("migrated (with the plugin)")
    const seedFile = path.join(work, "seed.json")
    await medusa(["exec", "./scripts/bench/cart-update-seed.ts"], ROOT, { ...env, BENCH_SEED_OUT: seedFile }, path.join(work, "seed.log"))
    await medusa(["user", "-e", ADMIN.email, "-p", ADMIN.password], ROOT, env, path.join(work, "user.log"))
    const store = JSON.parse(fs.readFileSync(seedFile, "utf8")) as { publishableKey: string; regionId: string; salesChannelId: string; variantIds: string[] }
    step("store seeded, admin user created")

    const bareDir = path.join(work, "bare")
    writeBareApp(bareDir, databaseUrl)
    const port = Number(process.env.BENCH_PORT || 9401)
    withServer = startServer("with-plugin", ROOT, env, port, path.join(work, "with.log"))
    withoutServer = startServer("without-plugin", bareDir, { ...env, DATABASE_URL: databaseUrl }, port + 1, path.join(work, "without.log"))
    await Promise.all([waitHealthy(withServer), waitHealthy(withoutServer)])
    step("both servers up")

    const { token: adminToken } = await call(withServer.url, "POST", "/auth/user/emailpass", ADMIN)
    const adminHeaders = { authorization: `Bearer ${adminToken}` }
    const { discount_policy: policy } = await call(
      withServer.url,
      "POST",
      "/admin/discount-policies",
      {
        name: "Bench 10%",
        status: "active",
        strategy: "fixed",
        rounds: ["first_order"],
        ladder: [10],
        max_discount_percent: 10,
        min_margin_percent: 5,
        holdout_percent: 0,
        exploration_percent: 0,
        offer_ttl_hours: 48,
      },
      adminHeaders
    )

    // The shoppers register and log in through the store API; both servers accept the tokens (same secret).
    const keyHeader = { "x-publishable-api-key": store.publishableKey }
    const shopper = await loggedInShopper(withServer, keyHeader, SHOPPER)
    const nativeShopper = await loggedInShopper(withServer, keyHeader, NATIVE_SHOPPER)
    await createNativeDiscount(withoutServer, adminHeaders, nativeShopper.customerId)
    const newCart = async (server: Server, headers: Record<string, string>) => {
      const { cart } = await call(server.url, "POST", "/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId }, headers)
      await call(server.url, "POST", `/store/carts/${cart.id}/line-items`, { variant_id: store.variantIds[0], quantity: 1 }, headers)
      return cart.id as string
    }
    const hasCode = (cart: any, code: string) => (cart?.promotions ?? []).some((promotion: any) => promotion.code === code)
    /** A fresh cart per side and configuration, so that cart size does not drift between configurations. */
    const newSides = async (): Promise<Side[]> => {
      const withCart = await newCart(withServer!, shopper.headers)
      const deadline = Date.now() + 30_000
      while (!hasCode((await call(withServer!.url, "GET", `/store/carts/${withCart}`, undefined, shopper.headers)).cart, OFFER_CODE)) {
        if (Date.now() > deadline) throw new Error(`the shopper's cart on the plugin server never got its ${OFFER_CODE} offer`)
        await sleep(300)
      }
      return [
        { name: "with_plugin", server: withServer!, cartId: withCart, headers: shopper.headers, times: [] },
        { name: "without_plugin", server: withoutServer!, cartId: await newCart(withoutServer!, shopper.headers), headers: shopper.headers, times: [] },
        { name: "native_discount", server: withoutServer!, cartId: await newCart(withoutServer!, nativeShopper.headers), headers: nativeShopper.headers, times: [] },
      ]
    }

    db = new Client({ connectionString: databaseUrl })
    await db.connect()
    const results: BenchResult[] = []
    let inserted = 0
    const variant = store.variantIds[1]
    for (const [label, count] of OFFER_COUNTS) {
      await insertOffers(db, policy.id, inserted, count)
      inserted = count
      // The shopper's offer starts each configuration with a fresh cart and the reservation an offer starts
      // with, so every configuration grows the reservation alike.
      await db.query("update uplift_personal_offer set reserved_amount = 2 where id not like 'uoffer_bench_%'")
      const sides = await newSides()
      for (let i = 0; i < WARMUP; i++) for (const side of sides) await timedAdd(side, variant)
      for (const side of sides) side.times.length = 0
      const last = new Map<string, any>()
      for (let i = 0; i < ADDS; i++) {
        // Rotate which side goes first, so that no side always follows the same one.
        for (let k = 0; k < sides.length; k++) {
          const side = sides[(i + k) % sides.length]
          last.set(side.name, await timedAdd(side, variant))
        }
      }
      const [withSide, withoutSide, nativeSide] = sides
      const withCart = last.get(withSide.name)
      if (!hasCode(withCart, OFFER_CODE) || !(withCart.discount_total > 0)) {
        throw new Error(`with ${label} offers the plugin server's cart lost its discount: ${JSON.stringify(withCart?.promotions)}`)
      }
      if (hasCode(last.get(withoutSide.name), OFFER_CODE) || last.get(withoutSide.name).discount_total > 0) {
        throw new Error("the bare server's cart carries a discount: the comparison is not without the plugin")
      }
      if (!hasCode(last.get(nativeSide.name), NATIVE_CODE)) throw new Error(`the bare server's reference cart lost its ${NATIVE_CODE} discount`)
      const { rows } = await db.query("select count(*)::int as n from uplift_personal_offer where status = 'active'")
      const [withMs, withoutMs, nativeMs] = sides.map((side) => median(side.times))
      step(
        `${rows[0].n} active offers: with ${round(withMs, 1)} ms, without ${round(withoutMs, 1)} ms, ` +
          `bare Medusa with its own 10% promotion ${round(nativeMs, 1)} ms (${ADDS} adds each; with-cart ${withCart.items?.length} lines, discount ${withCart.discount_total})`
      )
      results.push(
        { benchmark: `cart_update_median_ms_with_plugin_${label}`, value: round(withMs, 1), unit: "ms" },
        { benchmark: `cart_update_median_ms_without_plugin_${label}`, value: round(withoutMs, 1), unit: "ms" },
        { benchmark: `cart_update_ratio_${label}`, value: round(withMs / withoutMs), unit: "ratio" },
        // What any applied discount costs in Medusa itself, and the plugin's cost beyond that.
        { benchmark: `cart_update_median_ms_native_discount_${label}`, value: round(nativeMs, 1), unit: "ms" },
        { benchmark: `cart_update_ratio_native_discount_${label}`, value: round(nativeMs / withoutMs), unit: "ratio" },
        { benchmark: `cart_update_ratio_vs_native_discount_${label}`, value: round(withMs / nativeMs), unit: "ratio" }
      )
    }
    return results
  } finally {
    stopServer(withServer)
    stopServer(withoutServer)
    await db?.end().catch(() => undefined)
    await sleep(1_500)
    if (!process.env.BENCH_KEEP_DB) {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          await admin.query(`drop database if exists ${database} with (force)`)
          break
        } catch {
          await sleep(1_000)
        }
      }
    }
    await admin.end().catch(() => undefined)
    fs.rmSync(work, { recursive: true, force: true })
  }
}

export const cartUpdateSection: BenchSection = {
  name: "cart-update",
  run: measure,
}
