import type { BenchResult, BenchSection } from "./types"
import { call, quantile, registerShopper, round, sectionLogger, SeededStore, Server, sleep } from "../lib/medusa-store"
import { restartServers, withComparison } from "./comparison"
import { pairedRatio, PairedRatio } from "../../src/ml/metrics/paired-ratio"

/**
 * Load: concurrent logged-in shoppers browse, fill a cart and check out through the Store API, against this
 * store with the plugin and against the bare Medusa app on the same database (./comparison.ts).
 *
 * The two sides take turns in pairs of rounds (with then without, then without then with, ...): each round
 * runs all shoppers against one server only, so that each side gets the full concurrency on its own and
 * noise on the shared machine spreads over both sides alike. Each pair gives one ratio of step medians
 * (with / without) per step; pairs are added until every step's ratio has a 95% interval narrower than
 * +-BENCH_LOAD_INTERVAL (0.05; src/ml/metrics/paired-ratio.ts) or BENCH_LOAD_MAX_PAIRS is reached, and
 * `load_<step>_p50_ratio` is reported with its interval. The section fails if any request failed or the
 * interval did not get narrow enough. Shoppers start journeys until the round's time is up and
 * finish the journey they are in (a round lasts until its last checkout); their starts are spread over
 * the first seconds so that they do not all hit the same step at once. Per step and side: p50, p99, count and failures (a status
 * other than 2xx, a timeout, or a completion that did not produce an order). The section fails if any
 * request failed.
 *
 * The shoppers are customers of the store, and an active fixed 10% policy for first and repeat orders is in
 * place, so that the plugin decides and issues personal offers for them on the "with" side. Both servers are
 * restarted once the shoppers are registered (through the plugin's server), so that neither starts the rounds
 * with a history of other requests.
 *
 * env: BENCH_LOAD_SHOPPERS (default 20), BENCH_LOAD_ROUND_SECONDS (seconds per round, default 20),
 * BENCH_LOAD_MIN_PAIRS (default 3), BENCH_LOAD_MAX_PAIRS (default 40: on two cores the interval has needed 15-19 pairs), BENCH_LOAD_INTERVAL (default 0.05),
 * BENCH_LOAD_REQUEST_TIMEOUT_MS (default 30000), and those of ./comparison.ts (database, ports).
 */

const SHOPPERS = Number(process.env.BENCH_LOAD_SHOPPERS || 20)
const ROUND_SECONDS = Number(process.env.BENCH_LOAD_ROUND_SECONDS || 20)
const MIN_PAIRS = Math.max(2, Number(process.env.BENCH_LOAD_MIN_PAIRS || 3))
const MAX_PAIRS = Math.max(MIN_PAIRS, Number(process.env.BENCH_LOAD_MAX_PAIRS || 40))
const INTERVAL = Number(process.env.BENCH_LOAD_INTERVAL || 0.05)
const REQUEST_TIMEOUT_MS = Number(process.env.BENCH_LOAD_REQUEST_TIMEOUT_MS || 30_000)
// A journey is nine requests; no shopper can start more than this many in one round, whatever the speed.
const MAX_JOURNEYS_PER_ROUND = 1_000
const STAGGER_MS = 250
const STEPS = ["list_products", "get_product", "create_cart", "add_item", "set_address", "shipping_method", "payment_collection", "payment_session", "complete_cart"] as const
type Step = (typeof STEPS)[number]
type Side = "with_plugin" | "without_plugin"

const log = sectionLogger("load")
const ADDRESS = { first_name: "Load", last_name: "Shopper", address_1: "1 Main St", city: "Cincinnati", country_code: "us", postal_code: "45202" }
const LOAD_POLICY = {
  name: "Load 10%",
  status: "active",
  strategy: "fixed",
  rounds: ["first_order", "repeat"],
  ladder: [10],
  max_discount_percent: 10,
  min_margin_percent: 5,
  holdout_percent: 0,
  exploration_percent: 0,
  per_customer_limit: 1000,
  offer_ttl_hours: 48,
}

interface StepStats {
  times: number[]
  failures: number
  firstFailure?: string
}

type Stats = Record<Side, Record<Step, StepStats>>

interface Shopper {
  email: string
  headers: Record<string, string>
}

function emptyStats(): Stats {
  const side = () => Object.fromEntries(STEPS.map((step) => [step, { times: [], failures: 0 }])) as unknown as Record<Step, StepStats>
  return { with_plugin: side(), without_plugin: side() }
}

function assertLocal(server: Server) {
  if (new URL(server.url).hostname !== "localhost") throw new Error(`the load test only drives localhost, not ${server.url}`)
}

/** One timed request of a step; a failure is counted and ends the journey (returns undefined). */
async function timed(stats: StepStats, step: () => Promise<any>, accept: (body: any) => boolean = () => true): Promise<any> {
  const started = performance.now()
  try {
    const body = await step()
    if (!accept(body)) throw new Error(`unexpected answer: ${JSON.stringify(body).slice(0, 300)}`)
    stats.times.push(performance.now() - started)
    return body
  } catch (error) {
    stats.failures++
    stats.firstFailure ??= error instanceof Error ? error.message : String(error)
    return undefined
  }
}

/** Browse, cart, checkout: nine requests; stops at the first failed one. Returns the order, if placed. */
async function journey(server: Server, store: SeededStore, shopper: Shopper, stats: Record<Step, StepStats>, n: number): Promise<any> {
  const request = (method: string, url: string, body?: unknown) => () =>
    call(server.url, method, url, body, shopper.headers, REQUEST_TIMEOUT_MS)
  const products = await timed(stats.list_products, request("GET", "/store/products?limit=20&fields=id,title,*variants"), (b) => b.products?.length > 0)
  if (!products) return
  const product = products.products[n % products.products.length]
  if (!(await timed(stats.get_product, request("GET", `/store/products/${product.id}?region_id=${store.regionId}`), (b) => !!b.product))) return
  const created = await timed(stats.create_cart, request("POST", "/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId }))
  if (!created) return
  const cartId = created.cart.id
  if (!(await timed(stats.add_item, request("POST", `/store/carts/${cartId}/line-items`, { variant_id: product.variants[0].id, quantity: 1 + (n % 2) })))) return
  if (!(await timed(stats.set_address, request("POST", `/store/carts/${cartId}`, { email: shopper.email, shipping_address: ADDRESS, billing_address: ADDRESS })))) return
  if (!(await timed(stats.shipping_method, request("POST", `/store/carts/${cartId}/shipping-methods`, { option_id: store.shippingOptionId })))) return
  const collection = await timed(stats.payment_collection, request("POST", "/store/payment-collections", { cart_id: cartId }))
  if (!collection) return
  const session = request("POST", `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" })
  if (!(await timed(stats.payment_session, session))) return
  const completion = await timed(stats.complete_cart, request("POST", `/store/carts/${cartId}/complete`, {}), (b) => b.type === "order" && !!b.order?.id)
  return completion?.order
}

interface Tally {
  journeys: number
  /** Orders placed with a discount: on the plugin's side, the shoppers' personal offers. */
  discountedOrders: number
}

/** All shoppers loop journeys against one server until the round's time is up, counting into the tally. */
async function runRound(server: Server, store: SeededStore, shoppers: Shopper[], stats: Record<Step, StepStats>, seconds: number, tally: Tally) {
  const deadline = Date.now() + seconds * 1000
  await Promise.all(
    shoppers.map(async (shopper, index) => {
      await sleep(index * STAGGER_MS)
      for (let n = 0; n < MAX_JOURNEYS_PER_ROUND && Date.now() < deadline; n++) {
        tally.journeys++
        const order = await journey(server, store, shopper, stats, index + n)
        if (order?.discount_total > 0) tally.discountedOrders++
      }
    })
  )
}

const median = (times: number[]) => quantile([...times].sort((a, b) => a - b), 0.5)

/** Per step: the ratio of step medians (with / without) of each pair of rounds so far, and their interval. */
function stepRatios(pairs: Stats[]): Record<Step, PairedRatio> {
  return Object.fromEntries(
    STEPS.map((step) => [step, pairedRatio(pairs.map((pair) => median(pair.with_plugin[step].times) / median(pair.without_plugin[step].times)))])
  ) as Record<Step, PairedRatio>
}

function merge(into: Stats, from: Stats) {
  for (const side of ["with_plugin", "without_plugin"] as Side[]) {
    for (const step of STEPS) {
      into[side][step].times.push(...from[side][step].times)
      into[side][step].failures += from[side][step].failures
      into[side][step].firstFailure ??= from[side][step].firstFailure
    }
  }
}

function figures(stats: Stats, tallies: Record<Side, Tally>, ratios: Record<Step, PairedRatio>, converged: boolean): BenchResult[] {
  const results: BenchResult[] = []
  for (const step of STEPS) {
    const r = ratios[step]
    results.push(
      { benchmark: `load_${step}_p50_ratio`, value: round(r.ratio, 3), unit: "ratio" },
      { benchmark: `load_${step}_p50_ratio_ci95_low`, value: round(r.low, 3), unit: "ratio" },
      { benchmark: `load_${step}_p50_ratio_ci95_high`, value: round(r.high, 3), unit: "ratio" }
    )
  }
  results.push(
    { benchmark: "load_round_pairs", value: ratios.complete_cart.pairs, unit: "pairs" },
    { benchmark: "load_ratio_interval_converged", value: converged ? 1 : 0, unit: "bool" }
  )
  for (const side of ["with_plugin", "without_plugin"] as Side[]) {
    for (const step of STEPS) {
      const { times, failures } = stats[side][step]
      const sorted = [...times].sort((a, b) => a - b)
      results.push(
        { benchmark: `load_${step}_p50_ms_${side}`, value: round(quantile(sorted, 0.5), 1), unit: "ms" },
        { benchmark: `load_${step}_p99_ms_${side}`, value: round(quantile(sorted, 0.99), 1), unit: "ms" },
        { benchmark: `load_${step}_count_${side}`, value: times.length + failures, unit: "requests" },
        { benchmark: `load_${step}_failures_${side}`, value: failures, unit: "requests" }
      )
    }
    results.push(
      { benchmark: `load_journeys_${side}`, value: tallies[side].journeys, unit: "journeys" },
      { benchmark: `load_discounted_orders_${side}`, value: tallies[side].discountedOrders, unit: "orders" }
    )
  }
  return results
}

function failureSummary(stats: Stats): string | undefined {
  const lines = (["with_plugin", "without_plugin"] as Side[]).flatMap((side) =>
    STEPS.filter((step) => stats[side][step].failures > 0).map((step) => `${side} ${step}: ${stats[side][step].failures} failed (first: ${stats[side][step].firstFailure})`)
  )
  return lines.length ? lines.join("\n") : undefined
}

async function measure(): Promise<BenchResult[]> {
  return withComparison({ name: "load", log, productCount: 20 }, async ({ withServer, withoutServer, store, admin, step }) => {
    assertLocal(withServer)
    assertLocal(withoutServer)
    await call(withServer.url, "POST", "/admin/discount-policies", LOAD_POLICY, admin)
    const shoppers: Shopper[] = []
    for (let i = 0; i < SHOPPERS; i++) {
      const email = `load-shopper-${i}@uplift.test`
      shoppers.push({ email, headers: await registerShopper(withServer.url, store.publishableKey, { email, password: "load-shopper-password" }) })
    }
    await restartServers([withServer, withoutServer], step)
    step(`${SHOPPERS} shoppers registered; pairs of ${ROUND_SECONDS} s rounds until every step's ratio is within +-${INTERVAL} (95%), ${MIN_PAIRS} to ${MAX_PAIRS} pairs`)
    const stats = emptyStats()
    const pairs: Stats[] = []
    const tallies: Record<Side, Tally> = { with_plugin: { journeys: 0, discountedOrders: 0 }, without_plugin: { journeys: 0, discountedOrders: 0 } }
    const servers: Record<Side, Server> = { with_plugin: withServer, without_plugin: withoutServer }
    let ratios = stepRatios(pairs)
    let converged = false
    while (pairs.length < MAX_PAIRS) {
      // ABBA order: neither side always goes first or last.
      const order: Side[] = pairs.length % 2 === 0 ? ["with_plugin", "without_plugin"] : ["without_plugin", "with_plugin"]
      const pair = emptyStats()
      for (const side of order) await runRound(servers[side], store, shoppers, pair[side], ROUND_SECONDS, tallies[side])
      pairs.push(pair)
      merge(stats, pair)
      ratios = stepRatios(pairs)
      const widest = STEPS.reduce((w, s) => (ratios[s].halfWidth > ratios[w].halfWidth ? s : w), STEPS[0])
      // This pair's own ratios beside the cumulative ones: a trend over the pairs (the plugin's tables filling, or
      // the machine) shows here, where the cumulative ratio only drifts.
      const own = (s: Step) => round(median(pair.with_plugin[s].times) / median(pair.without_plugin[s].times), 3)
      step(
        `pair ${pairs.length} (this pair: complete_cart ${own("complete_cart")}, add_item ${own("add_item")}): ` +
          `${stats.with_plugin.complete_cart.times.length}/${stats.without_plugin.complete_cart.times.length} orders with/without, ` +
          `${tallies.with_plugin.discountedOrders} discounted; complete_cart ratio ${round(ratios.complete_cart.ratio, 3)} +-${round(ratios.complete_cart.halfWidth, 3)}, ` +
          `widest ${widest} +-${round(ratios[widest].halfWidth, 3)}; ` +
          STEPS.map((s) => `${s} ${round(ratios[s].ratio, 3)}`).join(", ")
      )
      converged = STEPS.every((s) => ratios[s].halfWidth < INTERVAL)
      if (pairs.length >= MIN_PAIRS && converged) break
    }
    const failures = failureSummary(stats)
    if (failures) step(`failed requests:\n${failures}`)
    return figures(stats, tallies, ratios, converged)
  })
}

export const loadSection: BenchSection = {
  name: "load",
  run: measure,
  check: (results) => {
    const failed = results.filter((r) => r.benchmark.includes("_failures_") && r.value > 0)
    if (failed.length) return `failed requests under load: ${failed.map((r) => `${r.benchmark}=${r.value}`).join(", ")}`
    if (results.find((r) => r.benchmark === "load_ratio_interval_converged")?.value !== 1) {
      return `a step's ratio is still wider than +-${INTERVAL} after ${MAX_PAIRS} pairs of rounds (raise BENCH_LOAD_MAX_PAIRS)`
    }
    return undefined
  },
}
