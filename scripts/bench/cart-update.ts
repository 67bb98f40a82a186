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
 * dir (reusing this repo's node_modules) whose config loads no plugin. Requests alternate between the two
 * servers so that noise on the shared machine hits both sides alike; medians per side, per offer count.
 *
 * The shopper measured on the "with" server holds an active 10% offer (issued by the plugin on cart
 * creation), so the setPromotionContext hook looks it up, reserves budget and the tier promotion applies.
 * The "other customers'" offers are bulk-inserted by SQL into uplift_personal_offer under the same active
 * policy (0, 10,000, 100,000 rows).
 *
 * env: BENCH_CART_ADDS (timed adds per side per configuration, default 200), BENCH_CART_WARMUP (default 20),
 * DB_HOST / DB_USERNAME / DB_PASSWORD (default localhost / postgres / empty), BENCH_PORT (default 9401;
 * the "without" server takes the next port), BENCH_KEEP_DB=1 keeps the database.
 */

const ROOT = path.resolve(__dirname, "../..")
const ADDS = Number(process.env.BENCH_CART_ADDS || 200)
const WARMUP = Number(process.env.BENCH_CART_WARMUP || 20)
const OFFER_COUNTS: [string, number][] = [
  ["0", 0],
  ["10k", 10_000],
  ["100k", 100_000],
]
const ADMIN = { email: "bench@uplift.test", password: "bench-password" }
const SHOPPER = { email: "bench-shopper@uplift.test", password: "bench-shopper-password" }
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
  const child = spawn(path.join(ROOT, "node_modules/.bin/medusa"), ["start"], {
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

async function timedAdd(server: Server, cartId: string, variantId: string, headers: Record<string, string>): Promise<{ ms: number; cart: any }> {
  const started = performance.now()
  const { cart } = await call(server.url, "POST", `/store/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 1 }, headers)
  return { ms: performance.now() - started, cart }
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

    // The shopper registers and logs in through the store API; both servers accept the token (same secret).
    const keyHeader = { "x-publishable-api-key": store.publishableKey }
    const { token: registration } = await call(withServer.url, "POST", "/auth/customer/emailpass/register", SHOPPER)
    await call(withServer.url, "POST", "/store/customers", { email: SHOPPER.email, first_name: "Bench", last_name: "Shopper" }, { ...keyHeader, authorization: `Bearer ${registration}` })
    const { token } = await call(withServer.url, "POST", "/auth/customer/emailpass", SHOPPER)
    const shopper = { ...keyHeader, authorization: `Bearer ${token}` }
    const newCart = async (server: Server) => {
      const { cart } = await call(server.url, "POST", "/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId }, shopper)
      await call(server.url, "POST", `/store/carts/${cart.id}/line-items`, { variant_id: store.variantIds[0], quantity: 1 }, shopper)
      return cart.id as string
    }
    const hasOffer = (cart: any) => (cart?.promotions ?? []).some((promotion: any) => promotion.code === "UPLIFT-10")
    /** A fresh pair of carts per configuration, so that cart size does not drift between configurations. */
    const newCarts = async () => {
      const withCart = await newCart(withServer!)
      const deadline = Date.now() + 30_000
      while (!hasOffer((await call(withServer!.url, "GET", `/store/carts/${withCart}`, undefined, shopper)).cart)) {
        if (Date.now() > deadline) throw new Error("the shopper's cart on the plugin server never got its UPLIFT-10 offer")
        await sleep(300)
      }
      return { withCart, withoutCart: await newCart(withoutServer!) }
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
      const { withCart, withoutCart } = await newCarts()
      for (let i = 0; i < WARMUP; i++) {
        await timedAdd(withServer, withCart, variant, shopper)
        await timedAdd(withoutServer, withoutCart, variant, shopper)
      }
      const withTimes: number[] = []
      const withoutTimes: number[] = []
      let lastWith: any
      let lastWithout: any
      for (let i = 0; i < ADDS; i++) {
        if (i % 2) {
          const a = await timedAdd(withServer, withCart, variant, shopper)
          const b = await timedAdd(withoutServer, withoutCart, variant, shopper)
          withTimes.push(a.ms), withoutTimes.push(b.ms), (lastWith = a.cart), (lastWithout = b.cart)
        } else {
          const b = await timedAdd(withoutServer, withoutCart, variant, shopper)
          const a = await timedAdd(withServer, withCart, variant, shopper)
          withTimes.push(a.ms), withoutTimes.push(b.ms), (lastWith = a.cart), (lastWithout = b.cart)
        }
      }
      if (!hasOffer(lastWith) || !(lastWith.discount_total > 0)) {
        throw new Error(`with ${label} offers the plugin server's cart lost its discount: ${JSON.stringify(lastWith?.promotions)}`)
      }
      if (hasOffer(lastWithout)) throw new Error("the bare server's cart carries UPLIFT-10: the comparison is not without the plugin")
      const { rows } = await db.query("select count(*)::int as n from uplift_personal_offer where status = 'active'")
      const withMs = median(withTimes)
      const withoutMs = median(withoutTimes)
      step(`${rows[0].n} active offers: with ${round(withMs, 1)} ms, without ${round(withoutMs, 1)} ms (${ADDS} adds each; with-cart ${lastWith.items?.length} lines, discount ${lastWith.discount_total})`)
      results.push(
        { benchmark: `cart_update_median_ms_with_plugin_${label}`, value: round(withMs, 1), unit: "ms" },
        { benchmark: `cart_update_median_ms_without_plugin_${label}`, value: round(withoutMs, 1), unit: "ms" },
        { benchmark: `cart_update_ratio_${label}`, value: round(withMs / withoutMs), unit: "ratio" }
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
