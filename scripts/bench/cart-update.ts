import { Client } from "pg"
import type { BenchResult, BenchSection } from "../bench"
import { call, registerShopper, round, SeededStore, sectionLogger, Server, sleep } from "../lib/medusa-store"
import { withComparison } from "./comparison"

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
 * and those of ./comparison.ts (database, ports).
 */

const ADDS = Number(process.env.BENCH_CART_ADDS || 200)
const WARMUP = Number(process.env.BENCH_CART_WARMUP || 20)
const OFFER_COUNTS: [string, number][] = [
  ["0", 0],
  ["10k", 10_000],
  ["100k", 100_000],
]
const BENCH_POLICY = {
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
}
const SHOPPER = { email: "bench-shopper@uplift.test", password: "bench-shopper-password" }
const log = sectionLogger("cart-update")

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
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

const hasOffer = (cart: any) => (cart?.promotions ?? []).some((promotion: any) => promotion.code === "UPLIFT-10")

interface Setup {
  withServer: Server
  withoutServer: Server
  store: SeededStore
  shopper: Record<string, string>
  step: (message: string) => void
}

async function newCart(server: Server, { store, shopper }: Setup) {
  const { cart } = await call(server.url, "POST", "/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId }, shopper)
  await call(server.url, "POST", `/store/carts/${cart.id}/line-items`, { variant_id: store.variantIds[0], quantity: 1 }, shopper)
  return cart.id as string
}

/** A fresh pair of carts per configuration, so that cart size does not drift between configurations. */
async function newCarts(setup: Setup) {
  const withCart = await newCart(setup.withServer, setup)
  const deadline = Date.now() + 30_000
  while (!hasOffer((await call(setup.withServer.url, "GET", `/store/carts/${withCart}`, undefined, setup.shopper)).cart)) {
    if (Date.now() > deadline) throw new Error("the shopper's cart on the plugin server never got its UPLIFT-10 offer")
    await sleep(300)
  }
  return { withCart, withoutCart: await newCart(setup.withoutServer, setup) }
}

/** Alternating adds on both servers with the offers now in the table; medians per side. */
async function measureConfiguration(setup: Setup, db: Client, label: string): Promise<BenchResult[]> {
  const { withServer, withoutServer, shopper } = setup
  // The shopper's offer starts each configuration with a fresh cart and the reservation an offer starts
  // with, so every configuration grows the reservation alike.
  await db.query("update uplift_personal_offer set reserved_amount = 2 where id not like 'uoffer_bench_%'")
  const { withCart, withoutCart } = await newCarts(setup)
  const variant = setup.store.variantIds[1]
  for (let i = 0; i < WARMUP; i++) {
    await timedAdd(withServer, withCart, variant, shopper)
    await timedAdd(withoutServer, withoutCart, variant, shopper)
  }
  const withTimes: number[] = []
  const withoutTimes: number[] = []
  let lastWith: any
  let lastWithout: any
  for (let i = 0; i < ADDS; i++) {
    const addWith = () => timedAdd(withServer, withCart, variant, shopper).then((a) => (withTimes.push(a.ms), (lastWith = a.cart)))
    const addWithout = () => timedAdd(withoutServer, withoutCart, variant, shopper).then((b) => (withoutTimes.push(b.ms), (lastWithout = b.cart)))
    if (i % 2) await addWith().then(addWithout)
    else await addWithout().then(addWith)
  }
  if (!hasOffer(lastWith) || !(lastWith.discount_total > 0)) {
    throw new Error(`with ${label} offers the plugin server's cart lost its discount: ${JSON.stringify(lastWith?.promotions)}`)
  }
  if (hasOffer(lastWithout)) throw new Error("the bare server's cart carries UPLIFT-10: the comparison is not without the plugin")
  const { rows } = await db.query("select count(*)::int as n from uplift_personal_offer where status = 'active'")
  const withMs = median(withTimes)
  const withoutMs = median(withoutTimes)
  setup.step(`${rows[0].n} active offers: with ${round(withMs, 1)} ms, without ${round(withoutMs, 1)} ms (${ADDS} adds each; with-cart ${lastWith.items?.length} lines, discount ${lastWith.discount_total})`)
  return [
    { benchmark: `cart_update_median_ms_with_plugin_${label}`, value: round(withMs, 1), unit: "ms" },
    { benchmark: `cart_update_median_ms_without_plugin_${label}`, value: round(withoutMs, 1), unit: "ms" },
    { benchmark: `cart_update_ratio_${label}`, value: round(withMs / withoutMs), unit: "ratio" },
  ]
}

async function measure(): Promise<BenchResult[]> {
  return withComparison({ name: "cart", log }, async ({ withServer, withoutServer, store, databaseUrl, admin, step }) => {
    const { discount_policy: policy } = await call(withServer.url, "POST", "/admin/discount-policies", BENCH_POLICY, admin)
    // The shopper registers and logs in through the store API; both servers accept the token (same secret).
    const shopper = await registerShopper(withServer.url, store.publishableKey, SHOPPER)
    const setup: Setup = { withServer, withoutServer, store, shopper, step }
    const db = new Client({ connectionString: databaseUrl })
    await db.connect()
    try {
      const results: BenchResult[] = []
      let inserted = 0
      for (const [label, count] of OFFER_COUNTS) {
        await insertOffers(db, policy.id, inserted, count)
        inserted = count
        results.push(...(await measureConfiguration(setup, db, label)))
      }
      return results
    } finally {
      await db.end().catch(() => undefined)
    }
  })
}

export const cartUpdateSection: BenchSection = {
  name: "cart-update",
  run: measure,
}
