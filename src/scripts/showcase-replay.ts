/**
 * The showcase's past weeks: Hillstrom's randomized e-mail test (../shared/data/hillstrom.csv) replayed as
 * the demo store's decision log, so a merchant's first look at the policy report shows weeks of decisions
 * whose outcomes are real. Each demo customer takes one Hillstrom row (a random sample, so the arms stay
 * randomized thirds); the arm is the level the shopper got (as `npm run simulate` maps it: no e-mail 0%,
 * womens e-mail 10%, mens e-mail 15%) with its propensity under the test, 1/3; the row's `visit` is whether
 * the shopper bought within the attribution window. Rows are paired with customers by rank of past spend
 * (Hillstrom's `history` against the customer's Complete Journey spend), so the history-outcome link of the
 * data survives and a model has something to learn; the pairing does not look at arms or outcomes. The
 * basket is `npm run simulate`'s (REPLAY_BASKET at the store's default margin): the data has no basket, and
 * the Complete Journey sample's baskets (a few dollars) would make every figure a matter of cents.
 *
 * Everything goes through the owning modules' services: the decisions and their offers (redeemed by the
 * buyers, expired otherwise) in one transaction (discounts: recordPastDecisions), the purchases as
 * interactions (uplift: recordInteractions), each at its own time in the past weeks.
 */
import * as path from "path"
import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import type { PastDecision } from "../modules/discounts/service"
import type UpliftModuleService from "../modules/uplift/service"
import { columnIndex, readCsv } from "../ml/data/csv"
import { mulberry32, shuffleInPlace } from "../ml/data/split"

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
/** The Hillstrom e-mail arms as ladder levels, as `npm run simulate` maps them by default. */
export const REPLAY_ARMS: Record<string, number> = { "No E-Mail": 0, "Womens E-Mail": 10, "Mens E-Mail": 15 }
/** Decisions spread over this many weeks before the seed: all but the last week's attribution windows have closed. */
export const REPLAY_WEEKS = 8
export const REPLAY_MODEL_VERSION = "hillstrom-randomized-test"
const REPLAY_SEED = 16
/** A buyer buys within this span after the decision (inside the 72-hour offer and the 7-day window). */
const BUY_WITHIN_MS = [2 * HOUR_MS, 70 * HOUR_MS] as const
const OFFER_TTL_MS = 72 * HOUR_MS
/** The basket of every replayed decision, as `npm run simulate -- --basket` defaults it. */
export const REPLAY_BASKET = 100

export interface ReplayCustomer {
  customerId: string
  /** Complete Journey spend (all lines), for the pairing by rank. */
  spend: number
  /** Medusa product id of the household's most bought product: what the replayed purchase bought. */
  productId: string
}

interface HillstromRow {
  arm: string
  history: number
  visit: 0 | 1
}

export interface ReplaySummary {
  decisions: number
  offers: number
  purchases: number
  from: Date
  to: Date
}

export function readHillstrom(dataDir: string): HillstromRow[] {
  const table = readCsv(path.join(dataDir, "hillstrom.csv"))
  const [segment, history, visit] = ["segment", "history", "visit"].map((name) => columnIndex(table, name))
  return table.rows
    .map((row) => ({ arm: row[segment], history: Number(row[history]), visit: (row[visit] === "1" ? 1 : 0) as 0 | 1 }))
    .filter((row) => row.arm in REPLAY_ARMS)
}

/** A random sample of rows, one per customer, paired by rank of past spend; each with a decision time. */
export function pairReplay(customers: ReplayCustomer[], rows: HillstromRow[], now: number, seed = REPLAY_SEED) {
  const random = mulberry32(seed)
  const order = shuffleInPlace(Int32Array.from(rows, (_, i) => i), random)
  const sample = Array.from(order.subarray(0, customers.length), (i) => rows[i]).sort((a, b) => a.history - b.history)
  const bySpend = [...customers].sort((a, b) => a.spend - b.spend || a.customerId.localeCompare(b.customerId))
  const span = REPLAY_WEEKS * 7 * DAY_MS
  return bySpend.map((customer, i) => {
    const decidedAt = now - span + random() * (span - HOUR_MS)
    const boughtAt = decidedAt + BUY_WITHIN_MS[0] + random() * (BUY_WITHIN_MS[1] - BUY_WITHIN_MS[0])
    return { customer, row: sample[i], decidedAt, boughtAt }
  })
}

export async function replayHillstrom(
  container: MedusaContainer,
  input: { policyId: string; currency: string; customers: ReplayCustomer[]; dataDir: string; now?: number }
): Promise<ReplaySummary> {
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const uplift = container.resolve<UpliftModuleService>("uplift")
  const now = input.now ?? Date.now()
  const margin = uplift.options.defaultMarginPercent
  const pairs = pairReplay(input.customers, readHillstrom(input.dataDir), now)
  const entries: PastDecision[] = pairs.map(({ customer, row, decidedAt, boughtAt }) => {
    const level = REPLAY_ARMS[row.arm]
    const bought = row.visit === 1
    const orderId = `order_showcase_${customer.customerId}`
    const discount = round2((REPLAY_BASKET * level) / 100)
    return {
      decision: {
        policy_id: input.policyId,
        customer_id: customer.customerId,
        cart_id: null,
        round: "win_back",
        group: level === 0 ? "holdout" : "explore",
        chosen_percent: level,
        propensity: 1 / 3,
        model_version: REPLAY_MODEL_VERSION,
        features: { basket_value: REPLAY_BASKET, items: 1 },
        candidates: null,
        reasons: [`Randomized test (Hillstrom "${row.arm}" arm replayed): each level 1/3`],
        basket_value: REPLAY_BASKET,
        margin_percent: margin,
        created_at: new Date(decidedAt),
      },
      offer: level
        ? {
            discount_percent: level,
            status: bought ? "redeemed" : "expired",
            reserved_amount: discount,
            redeemed_amount: bought ? discount : null,
            currency_code: input.currency,
            expires_at: new Date(decidedAt + OFFER_TTL_MS),
            order_id: bought ? orderId : null,
            redeemed_at: bought ? new Date(boughtAt) : null,
            reason: `${level}% off your next order`,
          }
        : undefined,
    }
  })
  await discounts.recordPastDecisions(entries)
  const purchases = pairs
    .filter(({ row }) => row.visit === 1)
    .map(({ customer, boughtAt }) => ({
      dedupe_key: `showcase:${customer.customerId}:replay`,
      kind: "purchase" as const,
      source: "event" as const,
      customer_id: customer.customerId,
      order_id: `order_showcase_${customer.customerId}`,
      product_id: customer.productId,
      quantity: 1,
      // Merchandise value before the discount, as the report counts it (the redeemed offer is the discount).
      value: REPLAY_BASKET,
      currency_code: input.currency,
      occurred_at: new Date(boughtAt),
    }))
  await uplift.recordInteractions(purchases as any)
  const times = pairs.map((pair) => pair.decidedAt)
  return {
    decisions: entries.length,
    offers: entries.filter((entry) => entry.offer).length,
    purchases: purchases.length,
    from: new Date(Math.min(...times)),
    to: new Date(Math.max(...times)),
  }
}

/** Each household's spend and most bought imported product, from the purchase lines. */
export function replayCustomers(
  transactions: { household: string; product: string; quantity: number; salesValue: number }[],
  customerIds: Map<string, string>,
  productIds: Map<string, string>,
  exclude: Set<string>
): ReplayCustomer[] {
  const byHousehold = new Map<string, { spend: number; products: Map<string, number> }>()
  for (const row of transactions) {
    if (exclude.has(row.household) || !customerIds.has(row.household) || row.salesValue <= 0) continue
    const entry = byHousehold.get(row.household) ?? { spend: 0, products: new Map<string, number>() }
    entry.spend += row.salesValue
    if (productIds.has(row.product)) entry.products.set(row.product, (entry.products.get(row.product) ?? 0) + 1)
    byHousehold.set(row.household, entry)
  }
  return [...byHousehold.entries()]
    .filter(([, entry]) => entry.products.size > 0)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([household, entry]) => {
      const [top] = [...entry.products.entries()].sort((a, b) => b[1] - a[1] || Number(a[0]) - Number(b[0]))
      return {
        customerId: customerIds.get(household)!,
        spend: entry.spend,
        productId: productIds.get(top[0])!,
      }
    })
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
