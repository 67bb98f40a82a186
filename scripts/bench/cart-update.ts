import * as fs from "fs"
import { Client } from "pg"
import { inHoldout } from "../../src/ml/decision/offer-decision"
import type { BenchResult, BenchSection } from "./types"
import { call, registerShopper, round, SeededStore, sectionLogger, Server, sleep, stopServer } from "../lib/medusa-store"
import { restartServers, startBaselineServer, withComparison } from "./comparison"
import { welcomePolicy } from "../../integration-tests/helpers/policies"
import { blockMedianRatio } from "../../src/ml/metrics/paired-ratio"
import { median } from "../lib/stats"
import { serverCpuLog, serverCpuResults, ServerCpuLog } from "./server-cpu"

/**
 * Cart update (POST /store/carts/:id/line-items, add one item) through the real Store API, with the plugin
 * against without it, side by side on one database: the "with" server is this repo booted with
 * `medusa start` (plugin modules, hooks, subscribers); the "without" server is a throwaway app in a temp
 * dir (reusing this repo's node_modules) whose config loads no plugin. Every server is restarted after the setup,
 * so that the timed part starts from the same history on every side. Each round adds once on every side,
 * rotating which goes first, so that noise on the shared machine hits all sides alike; medians per side,
 * per offer count.
 *
 * Sides: the shopper holding an active 10% offer on the "with" server (the setPromotionContext hook looks
 * it up, reserves budget and the tier promotion applies) and the same shopper on the "without" server
 * (`cart_update_ratio_*`); a logged-in shopper the policy put in its randomized holdout, the common case
 * of a customer the plugin decided for and gives nothing (`cart_update_ratio_holdout_*`, against the
 * same shopper on the "without" server); a second shopper with Medusa's own automatic 10% promotion on the "without"
 * server, the reference for what applying any discount costs in Medusa (`cart_update_ratio_native_discount_*`,
 * and the plugin against it, `cart_update_ratio_vs_native_discount_*`); and a guest cart on each server,
 * what the plugin costs a cart that gets no offer (`cart_update_ratio_guest_*`).
 * The "other customers'" offers are bulk-inserted by SQL into uplift_personal_offer under the same active
 * policy (0, 10,000, 100,000 rows).
 *
 * env: BENCH_CART_ADDS (timed adds per side per configuration, default 150), BENCH_CART_WARMUP (untimed rounds
 * per configuration, default 20; the first configuration's are BENCH_CART_SERVER_WARMUP, default 100),
 * BENCH_CART_SESSIONS (default 1: the timed adds split among that many sessions per configuration, each after the
 * first on restarted servers with BENCH_CART_SERVER_WARMUP rounds of its own),
 * BENCH_CART_OFFERS (labels to run, e.g. `0,100k`; default all), BENCH_CART_BASELINE=<dir of another checkout of
 * this repo> (a third server runs that code on the same database, with the holdout and guest sides of its own
 * and an offer holder of its own, another customer with the same offer: before and after in one run,
 * `cart_update_ratio_vs_baseline_*`; with BENCH_CART_BASELINE=. and
 * BENCH_CART_BASELINE_WORKER_MODE=server it is this code as the server process of Medusa's split deployment,
 * whose subscribers and jobs run in a worker process instead), BENCH_CART_NATIVE_ON_PLUGIN=1 (one
 * more side: the shopper with Medusa's own promotion on the plugin's server too, a shopper of the policy's
 * holdout, so that the offer holder's cost over Medusa's promotion splits into what the plugin's process costs
 * any discounted add, `cart_update_ratio_native_discount_on_plugin_*`, and what the offer itself costs beyond
 * Medusa's promotion in the same process, `cart_update_ratio_offer_vs_native_on_plugin_*`),
 * BENCH_CART_SERVER_CPU=1 (each server also logs the wall and CPU time it spent inside every add,
 * ./request-cpu-hook.js: `cart_update_server_cpu_ms_<side>_*`, and every ratio again as a ratio of server CPU,
 * `cart_update_server_cpu_ratio_*`), and those of ./comparison.ts (database, ports). Every ratio comes with a
 * 95% interval (`_ci95_low`, `_ci95_high`).
 */

const ADDS = Number(process.env.BENCH_CART_ADDS || 150)
const WARMUP = Number(process.env.BENCH_CART_WARMUP || 20)
/**
 * Rounds before the first configuration's timed adds: a freshly started server runs slower for its first few
 * hundred requests (the JIT still compiling), the plugin's server more so (more code on the path), and the
 * goal is the store in steady state.
 */
const SERVER_WARMUP = Number(process.env.BENCH_CART_SERVER_WARMUP || 100)
/**
 * Sessions per configuration, each after the first on freshly restarted servers, the timed adds split evenly
 * among them: two fresh processes of one code differ by a few percent (docs/measurements.md, 2026-12-06 20:46),
 * which one session's ratio carries whole.
 */
const SESSIONS = Math.max(1, Number(process.env.BENCH_CART_SESSIONS || 1))
/** Consecutive rounds per block of the goals' intervals. */
const BLOCK_ROUNDS = 15
const ALL_OFFER_COUNTS: [string, number][] = [
  ["0", 0],
  ["10k", 10_000],
  ["100k", 100_000],
]
const OFFER_COUNTS = process.env.BENCH_CART_OFFERS
  ? ALL_OFFER_COUNTS.filter(([label]) => process.env.BENCH_CART_OFFERS!.split(",").includes(label))
  : ALL_OFFER_COUNTS
// Half the shoppers in the holdout: the bench picks shoppers on both sides.
export const BENCH_POLICY = { ...welcomePolicy, name: "Bench 10%", holdout_percent: 50 }
const SHOPPER_PASSWORD = "bench-shopper-password"
export const OFFER_CODE = "YOUR-10-OFF"
const NATIVE_CODE = "BENCH-NATIVE-10"
const BASELINE_DIR = process.env.BENCH_CART_BASELINE
const NATIVE_ON_PLUGIN = process.env.BENCH_CART_NATIVE_ON_PLUGIN === "1"
const SERVER_CPU = process.env.BENCH_CART_SERVER_CPU === "1"
/** `server`: the baseline server runs as Medusa's server process of a split deployment (no subscribers or jobs). */
const BASELINE_WORKER_MODE = process.env.BENCH_CART_BASELINE_WORKER_MODE
const log = sectionLogger("cart-update")

export async function insertOffers(db: Client, policyId: string, from: number, to: number) {
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

type SideName =
  | "with_plugin"
  | "without_plugin"
  | "with_plugin_holdout"
  | "without_plugin_holdout"
  | "native_discount"
  | "native_discount_on_plugin"
  | "with_plugin_guest"
  | "without_plugin_guest"
  | "baseline"
  | "baseline_holdout"
  | "baseline_guest"

interface Side {
  name: SideName
  server: Server
  headers: Record<string, string>
  cartId: string
  times: number[]
  last?: any
}

/** One timed add-to-cart on a side; keeps the cart as the Store API answered it. */
async function timedAdd(side: Side, variantId: string): Promise<void> {
  const started = performance.now()
  const { cart } = await call(side.server.url, "POST", `/store/carts/${side.cartId}/line-items`, { variant_id: variantId, quantity: 1 }, side.headers)
  side.times.push(performance.now() - started)
  side.last = cart
}

export const hasCode = (cart: any, code: string) => (cart?.promotions ?? []).some((promotion: any) => promotion.code === code)

interface Setup {
  withServer: Server
  withoutServer: Server
  baselineServer?: Server
  store: SeededStore
  shopper: Record<string, string>
  /** The baseline server's own offer holder: two carts of one customer would share (and contend for) one offer. */
  baselineShopper?: Record<string, string>
  holdoutShopper: Record<string, string>
  nativeShopper: Record<string, string>
  guest: Record<string, string>
  step: (message: string) => void
  serverCpu?: ServerCpuLog
}

export async function newCart(server: Server, store: SeededStore, headers: Record<string, string>) {
  const { cart } = await call(server.url, "POST", "/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId }, headers)
  await call(server.url, "POST", `/store/carts/${cart.id}/line-items`, { variant_id: store.variantIds[0], quantity: 1 }, headers)
  return cart.id as string
}

export async function waitForOffer(setup: Pick<Setup, "withServer" | "shopper">, cartId: string) {
  const deadline = Date.now() + 30_000
  while (!hasCode((await call(setup.withServer.url, "GET", `/store/carts/${cartId}`, undefined, setup.shopper)).cart, OFFER_CODE)) {
    if (Date.now() > deadline) throw new Error(`the shopper's cart on the plugin server never got its ${OFFER_CODE} offer`)
    await sleep(300)
  }
}

/**
 * The holdout shopper was decided for (in the holdout, nothing offered) before their cart is timed: on this
 * cart, or on an earlier one of theirs (one decision per customer and policy, whatever the cart).
 */
export async function waitForHoldoutDecision(db: Client, cartId: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const { rows } = await db.query(
      `select "group" from uplift_offer_decision where deleted_at is null and customer_id = (select customer_id from cart where id = $1)`,
      [cartId]
    )
    if (rows.length) {
      if (rows.some((row) => row.group !== "holdout")) throw new Error(`the holdout shopper's cart was decided as ${JSON.stringify(rows)}`)
      return
    }
    if (Date.now() > deadline) throw new Error("the holdout shopper's cart was never decided")
    await sleep(300)
  }
}

/** Fresh carts per configuration, so that cart size does not drift between configurations. */
async function newSides(setup: Setup, db: Client): Promise<Side[]> {
  const { withServer, withoutServer, store } = setup
  const side = async (name: SideName, server: Server, headers: Record<string, string>): Promise<Side> => ({ name, server, headers, cartId: await newCart(server, store, headers), times: [] })
  const sides = [
    await side("with_plugin", withServer, setup.shopper),
    await side("without_plugin", withoutServer, setup.shopper),
    await side("with_plugin_holdout", withServer, setup.holdoutShopper),
    await side("without_plugin_holdout", withoutServer, setup.holdoutShopper),
    await side("native_discount", withoutServer, setup.nativeShopper),
    await side("with_plugin_guest", withServer, setup.guest),
    await side("without_plugin_guest", withoutServer, setup.guest),
  ]
  if (NATIVE_ON_PLUGIN) sides.push(await side("native_discount_on_plugin", withServer, setup.nativeShopper))
  const baseline = setup.baselineServer
  if (baseline) {
    sides.push(await side("baseline", baseline, setup.baselineShopper!), await side("baseline_holdout", baseline, setup.holdoutShopper), await side("baseline_guest", baseline, setup.guest))
  }
  await waitForOffer(setup, sides[0].cartId)
  if (baseline) await waitForOffer({ withServer: baseline, shopper: setup.baselineShopper! }, sides.find((side) => side.name === "baseline")!.cartId)
  for (const name of ["with_plugin_holdout", "native_discount_on_plugin"]) {
    const cart = sides.find((side) => side.name === name)
    if (cart) await waitForHoldoutDecision(db, cart.cartId)
  }
  return sides
}

/** The carts must show what each side stands for, or the comparison means nothing. */
function checkSides(sides: Map<SideName, Side>, label: string) {
  const cart = (name: SideName) => sides.get(name)!.last
  for (const name of ["with_plugin", ...(sides.has("baseline") ? ["baseline"] : [])] as SideName[]) {
    if (!hasCode(cart(name), OFFER_CODE) || !(cart(name).discount_total > 0)) {
      throw new Error(`with ${label} offers the ${name} cart lost its discount: ${JSON.stringify(cart(name)?.promotions)}`)
    }
  }
  if (!hasCode(cart("native_discount"), NATIVE_CODE)) throw new Error(`the bare server's reference cart lost its ${NATIVE_CODE} discount`)
  if (sides.has("native_discount_on_plugin") && (!hasCode(cart("native_discount_on_plugin"), NATIVE_CODE) || hasCode(cart("native_discount_on_plugin"), OFFER_CODE))) {
    throw new Error(`the plugin server's cart with Medusa's promotion does not carry exactly ${NATIVE_CODE}: ${JSON.stringify(cart("native_discount_on_plugin").promotions)}`)
  }
  const undiscounted: SideName[] = ["without_plugin", "with_plugin_holdout", "without_plugin_holdout", "with_plugin_guest", "without_plugin_guest"]
  if (sides.has("baseline")) undiscounted.push("baseline_holdout", "baseline_guest")
  for (const name of undiscounted) {
    if (cart(name).discount_total > 0) throw new Error(`the ${name} cart carries a discount: ${JSON.stringify(cart(name).promotions)}`)
  }
}

/**
 * Rounds of one add per side, with the offers now in the table, in BENCH_CART_SESSIONS sessions (each after the
 * first on freshly restarted servers); medians per side over all sessions.
 */
async function measureConfiguration(setup: Setup, db: Client, label: string, warmup: number): Promise<BenchResult[]> {
  const sessions: Side[][] = []
  for (let session = 0; session < SESSIONS; session++) {
    if (session > 0) await restartServers(servers(setup), setup.step, `for session ${session + 1} of ${SESSIONS}`)
    const rounds = Math.round((ADDS * (session + 1)) / SESSIONS) - Math.round((ADDS * session) / SESSIONS)
    sessions.push(await measureSession(setup, db, label, session === 0 ? warmup : Math.max(warmup, SERVER_WARMUP), rounds))
    if (SESSIONS > 1) setup.step(`session ${session + 1}: ${sessionRatios(sessions[session])}`)
  }
  const sides = sessions[sessions.length - 1].map((side): Side => ({ ...side, times: sessions.flatMap((each) => each.find((other) => other.name === side.name)!.times) }))
  const byName = new Map(sides.map((side) => [side.name, side]))
  const ms = (name: SideName) => median(byName.get(name)!.times)
  const { rows } = await db.query("select count(*)::int as n from uplift_personal_offer where status = 'active'")
  setup.step(
    `${rows[0].n} active offers: ${sides.map((side) => `${side.name} ${round(ms(side.name), 1)} ms`).join(", ")} ` +
      `(${ADDS} adds each${SESSIONS > 1 ? ` in ${SESSIONS} sessions` : ""}; with-plugin cart ${byName.get("with_plugin")!.last.items?.length} lines, discount ${byName.get("with_plugin")!.last.discount_total})`
  )
  const pairs = ratioPairs(byName)
  const timedCarts = sessions.flat().map((side) => ({ name: side.name, cartId: side.cartId, adds: side.times.length }))
  return [
    ...sides.map((side) => ({ benchmark: `cart_update_median_ms_${side.name}_${label}`, value: round(ms(side.name), 1), unit: "ms" })),
    ...pairs.flatMap(([suffix, a, b]) => ratioWithInterval(byName, `cart_update_ratio${suffix}_${label}`, a, b)),
    ...(setup.serverCpu ? serverCpuResults(setup.serverCpu, timedCarts, label, pairs.map(([suffix, a, b]) => [`cart_update_server_cpu_ratio${suffix}`, a, b])) : []),
  ]
}

/** One session: fresh carts on every side, `warmup` untimed rounds, then `rounds` timed ones; checked. */
async function measureSession(setup: Setup, db: Client, label: string, warmup: number, rounds: number): Promise<Side[]> {
  // The shopper's offer starts each session with a fresh cart and the reservation an offer starts
  // with, so every session grows the reservation alike.
  await db.query("update uplift_personal_offer set reserved_amount = 2 where id not like 'uoffer_bench_%'")
  const sides = await newSides(setup, db)
  const variant = setup.store.variantIds[1]
  for (let i = 0; i < warmup; i++) for (const side of sides) await timedAdd(side, variant)
  for (const side of sides) side.times.length = 0
  for (let i = 0; i < rounds; i++) {
    // Rotate which side goes first, so that no side always follows the same one.
    for (let k = 0; k < sides.length; k++) await timedAdd(sides[(i + k) % sides.length], variant)
  }
  checkSides(new Map(sides.map((side) => [side.name, side])), label)
  return sides
}

/** The goals' ratios among ratioPairs. */
const GOAL_SUFFIXES = ["_holdout", "_guest", "_vs_native_discount"]

/** One session's ratios of the goals, to show how far fresh processes differ. */
function sessionRatios(sides: Side[]): string {
  const byName = new Map(sides.map((side) => [side.name, side]))
  const ms = (name: SideName) => median(byName.get(name)!.times)
  return ratioPairs(byName)
    .filter(([suffix]) => GOAL_SUFFIXES.includes(suffix))
    .map(([suffix, side, reference]) => `${suffix.slice(1)} ${round(ms(side) / ms(reference))}`)
    .join(", ")
}

const servers = (setup: Setup) => [setup.withServer, setup.withoutServer, setup.baselineServer]

/**
 * Every ratio the section prints, as [name after `cart_update_ratio`, side, reference side]: the goals' three
 * (holdout, guest, the offer holder against Medusa's own promotion), what applying any discount costs in Medusa
 * itself, and the optional sides' ones (the baseline checkout's figures, then this code against it: below 1,
 * this code is faster). BENCH_CART_SERVER_CPU=1 prints each again as a ratio of server CPU.
 */
function ratioPairs(sides: Map<SideName, Side>): [string, SideName, SideName][] {
  const pairs: [string, SideName, SideName][] = [
    ["", "with_plugin", "without_plugin"],
    ["_holdout", "with_plugin_holdout", "without_plugin_holdout"],
    ["_native_discount", "native_discount", "without_plugin"],
    ["_vs_native_discount", "with_plugin", "native_discount"],
    ["_guest", "with_plugin_guest", "without_plugin_guest"],
  ]
  if (sides.has("native_discount_on_plugin")) {
    pairs.push(["_native_discount_on_plugin", "native_discount_on_plugin", "native_discount"], ["_offer_vs_native_on_plugin", "with_plugin", "native_discount_on_plugin"])
  }
  if (sides.has("baseline")) {
    pairs.push(
      ["_baseline_holdout", "baseline_holdout", "without_plugin_holdout"],
      ["_baseline_vs_native_discount", "baseline", "native_discount"],
      ["_baseline_guest", "baseline_guest", "without_plugin_guest"],
      ["_vs_baseline_offer", "with_plugin", "baseline"],
      ["_vs_baseline_holdout", "with_plugin_holdout", "baseline_holdout"],
      ["_vs_baseline_guest", "with_plugin_guest", "baseline_guest"]
    )
  }
  return pairs
}

/**
 * A goal's ratio of medians, and a 95% interval for that ratio from resampling blocks of BLOCK_ROUNDS
 * consecutive rounds (blockMedianRatio): the machine's drift comes in spells longer than a round, so the block,
 * not the add, is the unit of noise. (Until 2026-12-07 the interval was Student's t on the blocks' own ratios,
 * which is about their geometric mean and could leave out the ratio of medians itself.)
 */
function ratioWithInterval(sides: Map<SideName, Side>, benchmark: string, a: SideName, b: SideName): BenchResult[] {
  const times = (name: SideName) => sides.get(name)!.times
  const blocks = Math.floor(times(a).length / BLOCK_ROUNDS)
  const block = (name: SideName, j: number) => times(name).slice(j * BLOCK_ROUNDS, (j + 1) * BLOCK_ROUNDS)
  const interval = blockMedianRatio(Array.from({ length: blocks }, (_, j) => block(a, j)), Array.from({ length: blocks }, (_, j) => block(b, j)))
  return [
    { benchmark, value: round(median(times(a)) / median(times(b))), unit: "ratio" },
    { benchmark: `${benchmark}_ci95_low`, value: round(interval.low), unit: `ratio (resampling ${blocks} blocks of ${BLOCK_ROUNDS} rounds)` },
    { benchmark: `${benchmark}_ci95_high`, value: round(interval.high), unit: `ratio (resampling ${blocks} blocks of ${BLOCK_ROUNDS} rounds)` },
  ]
}

/**
 * The reference discount: Medusa's own automatic 10% order promotion for one customer, created through the
 * bare server's admin API.
 */
export async function createNativeDiscount(setup: Pick<Setup, "withoutServer" | "nativeShopper">, admin: Record<string, string>) {
  const { customer } = await call(setup.withoutServer.url, "GET", "/store/customers/me", undefined, setup.nativeShopper)
  await call(
    setup.withoutServer.url,
    "POST",
    "/admin/promotions",
    {
      code: NATIVE_CODE,
      type: "standard",
      status: "active",
      is_automatic: true,
      application_method: { type: "percentage", target_type: "order", allocation: "across", value: 10, currency_code: "usd" },
      rules: [{ attribute: "customer.id", operator: "eq", values: [customer.id] }],
    },
    admin
  )
}

/**
 * The shopper given Medusa's own promotion: one of the policy's holdout, so that on the plugin's server too
 * that promotion is the cart's only discount.
 */
export async function nativeDiscountShopper(base: string, publishableKey: string, policyId: string) {
  return (await shoppersAroundHoldout(base, publishableKey, policyId, "bench-native-shopper")).holdout
}

/** Registers shoppers until one falls outside the policy's holdout (gets the offer) and one inside it. */
export async function shoppersAroundHoldout(base: string, publishableKey: string, policyId: string, prefix = "bench-shopper") {
  const found: { offered?: Record<string, string>; holdout?: Record<string, string> } = {}
  for (let k = 0; !(found.offered && found.holdout); k++) {
    if (k >= 40) throw new Error("no shopper pair around the holdout in 40 registrations")
    const headers = await registerShopper(base, publishableKey, { email: `${prefix}-${k}@uplift.test`, password: SHOPPER_PASSWORD })
    const { customer } = await call(base, "GET", "/store/customers/me", undefined, headers)
    if (inHoldout({ id: policyId, holdout_percent: BENCH_POLICY.holdout_percent }, customer.id)) found.holdout ??= headers
    else found.offered ??= headers
  }
  return found as { offered: Record<string, string>; holdout: Record<string, string> }
}

async function measure(): Promise<BenchResult[]> {
  const serverCpu = SERVER_CPU ? serverCpuLog() : undefined
  try {
    return await withComparison({ name: "cart", log, serverEnv: serverCpu?.env }, async ({ withServer, withoutServer, store, databaseUrl, admin, step }) => {
      const baselineEnv = { ...serverCpu?.env, ...(BASELINE_WORKER_MODE ? { MEDUSA_WORKER_MODE: BASELINE_WORKER_MODE } : {}) }
      const baselineServer = BASELINE_DIR ? await startBaselineServer(BASELINE_DIR, databaseUrl, withServer, baselineEnv) : undefined
      if (baselineServer) step(`baseline server up (${BASELINE_DIR}${BASELINE_WORKER_MODE ? `, worker mode ${BASELINE_WORKER_MODE}` : ""})`)
      try {
        return await measureAll({ withServer, withoutServer, baselineServer, store, databaseUrl, admin, step, serverCpu })
      } finally {
        stopServer(baselineServer)
      }
    })
  } finally {
    if (serverCpu) fs.rmSync(serverCpu.dir, { recursive: true, force: true })
  }
}

type Run = Pick<Setup, "withServer" | "withoutServer" | "baselineServer" | "store" | "step" | "serverCpu"> & { databaseUrl: string; admin: Record<string, string> }

async function measureAll({ withServer, withoutServer, baselineServer, store, databaseUrl, admin, step, serverCpu }: Run): Promise<BenchResult[]> {
  const { discount_policy: policy } = await call(withServer.url, "POST", "/admin/discount-policies", BENCH_POLICY, admin)
  // The shoppers register and log in through the store API; both servers accept the tokens (same secret).
  const { offered, holdout } = await shoppersAroundHoldout(withServer.url, store.publishableKey, policy.id)
  const setup: Setup = {
    withServer,
    withoutServer,
    baselineServer,
    store,
    shopper: offered,
    baselineShopper: baselineServer ? (await shoppersAroundHoldout(withServer.url, store.publishableKey, policy.id, "bench-baseline-shopper")).offered : undefined,
    holdoutShopper: holdout,
    nativeShopper: await nativeDiscountShopper(withServer.url, store.publishableKey, policy.id),
    guest: { "x-publishable-api-key": store.publishableKey },
    step,
    serverCpu,
  }
  await createNativeDiscount(setup, admin)
  await restartServers(servers(setup), step)
  const db = new Client({ connectionString: databaseUrl })
  await db.connect()
  try {
    const results: BenchResult[] = []
    let inserted = 0
    for (const [index, [label, count]] of OFFER_COUNTS.entries()) {
      await insertOffers(db, policy.id, inserted, count)
      inserted = count
      results.push(...(await measureConfiguration(setup, db, label, index === 0 ? Math.max(WARMUP, SERVER_WARMUP) : WARMUP)))
    }
    return results
  } finally {
    await db.end().catch(() => undefined)
  }
}

export const cartUpdateSection: BenchSection = {
  name: "cart-update",
  run: measure,
}
