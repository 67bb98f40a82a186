import * as fs from "fs"
import * as path from "path"
import { Client } from "pg"
import type { BenchResult, BenchSection } from "./types"
import { call, round, sectionLogger, Server, sleep, stopServer } from "../lib/medusa-store"
import { restartServers, startBaselineServer, withComparison } from "./comparison"
import { cpuMsOf, groupPids, procStat } from "../lib/processes"
import {
  BENCH_POLICY,
  createNativeDiscount,
  insertOffers,
  nativeDiscountShopper,
  newCart,
  shoppersAroundHoldout,
  waitForHoldoutDecision,
  waitForOffer,
} from "./cart-update"
import { median } from "../lib/stats"

/**
 * CPU per cart update (POST /store/carts/:id/line-items), what the wall-clock ratio of ./cart-update.ts
 * cannot show on a machine other work shares: the CPU time the store's processes and their Postgres
 * backends spend per add, read from /proc around each round of adds on one side while the other sides
 * wait. Same shoppers as ./cart-update.ts: the offer holder, a holdout shopper (decided for, offered
 * nothing) and a guest, on the plugin's store and on a bare Medusa app, plus Medusa's own 10% promotion
 * on the bare app and on the plugin's store (`with_native`: a shopper of the policy's holdout, so that
 * Medusa's promotion is the cart's only discount there too). With BENCH_CART_CPU_BASELINE=<dir of another
 * checkout of this repo> a third server runs that code on the same database (before / after in one run). Every
 * server is restarted once the setup is done (./comparison.ts restartServers), so no side's process starts the
 * rounds with a history of other requests.
 *
 * env: BENCH_CART_CPU_ROUNDS (default 8), BENCH_CART_CPU_ADDS (adds per round and side, default 20),
 * BENCH_CART_WARMUP (default 20), BENCH_CART_CPU_OFFERS (other customers' offers, default 100,000),
 * BENCH_CPU_PROFILE=<dir>: the servers profile themselves (./cpu-profile-hook.js) into <dir> and the rounds' time windows
 * are written to <dir>/windows.json (scripts/bench/cpu-profile-split.ts reads both).
 */

const ROUNDS = Number(process.env.BENCH_CART_CPU_ROUNDS || 8)
const ADDS = Number(process.env.BENCH_CART_CPU_ADDS || 20)
const WARMUP = Number(process.env.BENCH_CART_WARMUP || 20)
const OTHER_OFFERS = Number(process.env.BENCH_CART_CPU_OFFERS ?? 100_000)
const BASELINE_DIR = process.env.BENCH_CART_CPU_BASELINE
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE
/** After a round, the time given to what runs after the responses (subscribers) before CPU is read. */
const SETTLE_MS = 300
const log = sectionLogger("cart-cpu")

type Kind = "offer" | "holdout" | "guest" | "native"

interface Side {
  name: string
  kind: Kind
  server: Server
  headers: Record<string, string>
  cartId: string
  /** Per round: ms of CPU per add in the server's processes and in Postgres backends. */
  node: number[]
  postgres: number[]
}

/** CPU ms of every process in the server's process group (the CLI and the server it starts). */
function serverCpuMs(server: Server): number {
  return cpuMsOf(groupPids(server.child.pid!))
}

/** CPU ms of each Postgres backend connected to the bench database (other than `db` itself). */
async function backendCpuMs(db: Client, database: string): Promise<Map<number, number>> {
  const { rows } = await db.query("select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [database])
  const cpu = new Map<number, number>()
  for (const { pid } of rows) {
    const stat = procStat(pid)
    if (stat) cpu.set(pid, stat.cpuMs)
  }
  return cpu
}

/** Backend CPU spent between two readings; a backend that appeared in between counts from zero. */
function backendDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0)
  return total
}

async function add(side: Side, variantId: string): Promise<any> {
  const { cart } = await call(side.server.url, "POST", `/store/carts/${side.cartId}/line-items`, { variant_id: variantId, quantity: 1 }, side.headers)
  return cart
}

/** One round on one side: ADDS adds, then CPU per add of its server and of Postgres. */
async function measureRound(side: Side, variantId: string, db: Client, database: string, windows: Record<string, [string, string][]>) {
  await sleep(SETTLE_MS)
  const nodeBefore = serverCpuMs(side.server)
  const pgBefore = await backendCpuMs(db, database)
  const started = process.hrtime.bigint()
  let cart: any
  for (let i = 0; i < ADDS; i++) cart = await add(side, variantId)
  await sleep(SETTLE_MS)
  const ended = process.hrtime.bigint()
  const pgAfter = await backendCpuMs(db, database)
  side.node.push((serverCpuMs(side.server) - nodeBefore) / ADDS)
  side.postgres.push(backendDelta(pgBefore, pgAfter) / ADDS)
  ;(windows[side.name] ??= []).push([String(started / 1000n), String(ended / 1000n)])
  return cart
}

/** The carts must show what each side stands for, or the figures mean nothing. */
function checkCart(side: Side, cart: any) {
  const discounted = cart?.discount_total > 0
  const shouldDiscount = side.kind === "native" || (side.kind === "offer" && side.server.name !== "without-plugin")
  if (discounted !== shouldDiscount) throw new Error(`${side.name}: cart discount_total ${cart?.discount_total}, promotions ${JSON.stringify(cart?.promotions)}`)
}

/** The env that makes a server profile itself (./cpu-profile-hook.js) into PROFILE_DIR, when asked to. */
function profiled(): NodeJS.ProcessEnv {
  if (!PROFILE_DIR) return {}
  fs.mkdirSync(PROFILE_DIR, { recursive: true })
  return { NODE_OPTIONS: `--require ${path.join(__dirname, "cpu-profile-hook.js")}`, UPLIFT_CPU_PROFILE_DIR: PROFILE_DIR }
}

/** Asks every process of the profiled servers to write its profile; PROFILE_DIR/servers.json says whose pid is whose. */
async function writeProfiles(servers: Server[]) {
  const pids = Object.fromEntries(servers.map((server) => [server.name, groupPids(server.child.pid!)]))
  fs.writeFileSync(path.join(PROFILE_DIR!, "servers.json"), JSON.stringify(pids))
  for (const pid of Object.values(pids).flat()) process.kill(pid, "SIGUSR2")
  await sleep(8_000)
}

async function measure(): Promise<BenchResult[]> {
  return withComparison({ name: "cartcpu", log, serverEnv: profiled() }, async ({ withServer, withoutServer, store, databaseUrl, admin, step }) => {
    const database = new URL(databaseUrl).pathname.slice(1)
    let baseline: Server | undefined
    const db = new Client({ connectionString: databaseUrl })
    await db.connect()
    try {
      if (BASELINE_DIR) {
        baseline = await startBaselineServer(BASELINE_DIR, databaseUrl, withServer, profiled())
        step(`baseline server up (${BASELINE_DIR})`)
      }
      const { discount_policy: policy } = await call(withServer.url, "POST", "/admin/discount-policies", BENCH_POLICY, admin)
      const { offered, holdout } = await shoppersAroundHoldout(withServer.url, store.publishableKey, policy.id)
      const nativeShopper = await nativeDiscountShopper(withServer.url, store.publishableKey, policy.id)
      await createNativeDiscount({ withoutServer, nativeShopper }, admin)
      await insertOffers(db, policy.id, 0, OTHER_OFFERS)
      await restartServers([withServer, withoutServer, baseline], step)
      const guest = { "x-publishable-api-key": store.publishableKey }

      const pluginServers = [withServer, ...(baseline ? [baseline] : [])]
      const sides: Side[] = []
      const side = async (name: string, kind: Kind, server: Server, headers: Record<string, string>) => {
        sides.push({ name, kind, server, headers, cartId: await newCart(server, store, headers), node: [], postgres: [] })
      }
      for (const server of pluginServers) {
        const prefix = server === withServer ? "with" : "baseline"
        await side(`${prefix}_offer`, "offer", server, offered)
        await waitForOffer({ withServer: server, shopper: offered }, sides[sides.length - 1].cartId)
        await side(`${prefix}_holdout`, "holdout", server, holdout)
        // Decided once per customer and policy: on the first server's cart; the others find it standing.
        if (server === withServer) await waitForHoldoutDecision(db, sides[sides.length - 1].cartId)
        await side(`${prefix}_guest`, "guest", server, guest)
        await side(`${prefix}_native`, "native", server, nativeShopper)
        if (server === withServer) await waitForHoldoutDecision(db, sides[sides.length - 1].cartId)
      }
      await side("without_offer", "offer", withoutServer, offered)
      await side("without_holdout", "holdout", withoutServer, holdout)
      await side("without_guest", "guest", withoutServer, guest)
      await side("native_discount", "native", withoutServer, nativeShopper)

      // Kind by kind, so that no side follows another of its own server: the garbage of the offer holder's
      // heavier update would otherwise be collected in the next side's window on that process.
      const kinds: Kind[] = ["offer", "holdout", "guest", "native"]
      sides.sort((a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind))
      const variant = store.variantIds[1]
      for (let i = 0; i < WARMUP; i++) for (const each of sides) await add(each, variant)
      step(`${sides.length} sides warmed up (${WARMUP} adds each)`)
      const windows: Record<string, [string, string][]> = {}
      for (let r = 0; r < ROUNDS; r++) {
        for (let k = 0; k < sides.length; k++) {
          const each = sides[(r + k) % sides.length]
          checkCart(each, await measureRound(each, variant, db, database, windows))
        }
        step(`round ${r + 1}/${ROUNDS}: ${sides.map((each) => `${each.name} ${round(each.node[r] + each.postgres[r], 1)}`).join(", ")} ms CPU per add`)
      }
      if (PROFILE_DIR) {
        fs.writeFileSync(path.join(PROFILE_DIR, "windows.json"), JSON.stringify(windows))
        await writeProfiles([...pluginServers, withoutServer])
      }
      return figures(sides)
    } finally {
      stopServer(baseline)
      await db.end().catch(() => undefined)
    }
  })
}

function figures(sides: Side[]): BenchResult[] {
  const total = (side: Side) => side.node.map((ms, i) => ms + side.postgres[i])
  const byName = (name: string) => sides.find((side) => side.name === name)!
  const ms = (name: string) => median(total(byName(name)))
  const roundRatios = (a: Side, b: Side) => total(a).map((ms, i) => ms / total(b)[i])
  const results: BenchResult[] = sides.flatMap((side) => [
    { benchmark: `cart_cpu_ms_${side.name}`, value: round(median(total(side)), 2), unit: "ms" },
    { benchmark: `cart_cpu_node_ms_${side.name}`, value: round(median(side.node), 2), unit: "ms" },
    { benchmark: `cart_cpu_postgres_ms_${side.name}`, value: round(median(side.postgres), 2), unit: "ms" },
  ])
  for (const prefix of ["with", "baseline"]) {
    if (!sides.some((side) => side.name.startsWith(`${prefix}_`))) continue
    const pairs: [string, string, string][] = [
      ["offer", `${prefix}_offer`, "without_offer"],
      ["holdout", `${prefix}_holdout`, "without_holdout"],
      ["guest", `${prefix}_guest`, "without_guest"],
      ["offer_vs_native", `${prefix}_offer`, "native_discount"],
      // Medusa's own promotion in the plugin's process against the bare app, and the offer against it there.
      ["native", `${prefix}_native`, "native_discount"],
      ["offer_vs_native_same_server", `${prefix}_offer`, `${prefix}_native`],
    ]
    for (const [kind, plugin, reference] of pairs) {
      results.push({ benchmark: `cart_cpu_ratio_${prefix}_${kind}`, value: round(ms(plugin) / ms(reference)), unit: "ratio" })
      // The median of each round's ratio: steadier where the machine's load drifts between rounds.
      results.push({ benchmark: `cart_cpu_round_ratio_${prefix}_${kind}`, value: round(median(roundRatios(byName(plugin), byName(reference)))), unit: "ratio" })
    }
  }
  return results
}

export const cartCpuSection: BenchSection = {
  name: "cart-cpu",
  run: measure,
  onRequest: true,
}
