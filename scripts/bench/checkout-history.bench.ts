import * as fs from "fs"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type { Knex } from "knex"
import { FRAUD_MODULE } from "../../src/modules/fraud"
import type FraudModuleService from "../../src/modules/fraud/service"
import type { IdentityKeys } from "../../src/modules/fraud/service"
import { median } from "../lib/stats"

jest.setTimeout(Number(process.env.BENCH_TIMEOUT_S ?? 1_800) * 1_000)

/** Earlier checkouts on the shopper's IP at which the history statement is timed (a shared IP filling up). */
const SIZES = (process.env.BENCH_HISTORY_SIZES ?? "100,1000,5000").split(",").map(Number)
const TIMED = Number(process.env.BENCH_HISTORY_TIMED ?? 200)

/** Medians by size: `ip` as checkouts pile up on one IP, `address_with_promotion` as they pile up on one address. */
const result: { ip: Record<string, number>; address_with_promotion: Record<string, number> } = { ip: {}, address_with_promotion: {} }

async function timeHistory(service: FraudModuleService, keys: (k: number) => IdentityKeys, promotionIds: string[]): Promise<number> {
  for (let k = 0; k < 20; k++) await service.checkoutHistory(keys(k), 25, promotionIds, new Date())
  const times: number[] = []
  for (let k = 0; k < TIMED; k++) {
    const t = process.hrtime.bigint()
    await service.checkoutHistory(keys(k), 25, promotionIds, new Date())
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  return median(times)
}

/**
 * Grows the assessments to each size with `rowAt`'s checkouts (row i's identities; spread over `spanMs`
 * before now, oldest first) and times the statement for `keysAt`'s checkouts at that size.
 */
async function growAndTime(
  service: FraudModuleService,
  rowAt: (i: number) => Record<string, unknown>,
  spanMs: number,
  keysAt: (size: number, k: number) => IdentityKeys,
  promotionIds: string[]
): Promise<Record<string, number>> {
  const db = (service as unknown as { db_: Knex }).db_
  const now = Date.now()
  const medians: Record<string, number> = {}
  let inserted = 0
  for (const size of SIZES) {
    const rows: Record<string, unknown>[] = []
    for (; inserted < size; inserted++) {
      const createdAt = new Date(now - 60_000 - ((size - inserted) / size) * spanMs)
      rows.push({ amount: 20 + (inserted % 7), decision: "allow", reason: "bench", facts: "[]", signals: "{}", created_at: createdAt, ...rowAt(inserted) })
    }
    for (let k = 0; k < rows.length; k += 1_000) await db("uplift_fraud_assessment").insert(rows.slice(k, k + 1_000))
    await db.raw("analyze uplift_fraud_assessment")
    medians[String(size)] = await timeHistory(service, (k) => keysAt(size, k), promotionIds)
  }
  return medians
}

/**
 * The checkout's history statement (FraudModuleService.checkoutHistory: velocity, linked accounts, signups,
 * order count...) timed as checkouts pile up on one IP, as on a store behind a shared IP or under a
 * checkout flood: 20 accounts on the IP, each with its own device, a third of their carts retried, half of
 * them ordered, over the last day. Then with a promotion in the cart, as checkouts pile up on one shipping
 * address over most of a year (one account each; a tenth ordered, a quarter of those with another
 * promotion): whether a linked account redeemed this promotion reads that address's history.
 */
moduleIntegrationTestRunner<FraudModuleService>({
  moduleName: FRAUD_MODULE,
  resolve: "./src/modules/fraud",
  moduleOptions: {},
  testSuite: ({ service }) => {
    afterAll(() => fs.writeFileSync(process.env.BENCH_OUT ?? "/tmp/bench-checkout-history.json", JSON.stringify(result)))

    it("times the checkout history statement as the IP's checkouts grow", async () => {
      const checkoutOnSharedIp = (i: number) => {
        const shopper = i % 20
        const cart = `bench_cart_${i - (i % 3 === 0 ? 1 : 0)}`
        const identities = { customer_id: `bench_cus_${shopper}`, email_hash: `e${shopper}`, email_norm_hash: `n${shopper}`, ip_hash: "shared-ip", device_hash: `d${shopper}`, address_hash: `a${shopper}` }
        return { id: `fasm_bench_${i}`, cart_id: cart, order_id: i % 2 ? `bench_order_${cart}` : null, ...identities }
      }
      result.ip = await growAndTime(service, checkoutOnSharedIp, 23 * 3_600_000, (size, k) => ({ ...checkoutOnSharedIp(k), cart_id: `bench_current_${size}_${k}` }), [])
    })

    it("times the linked-account redemption check as one address's orders grow", async () => {
      const identities = (prefix: string, i: number) => ({
        customer_id: `${prefix}_cus_${i}`, email_hash: `${prefix}e${i}`, email_norm_hash: `${prefix}n${i}`, ip_hash: `${prefix}ip${i}`, device_hash: `${prefix}d${i}`, address_hash: "shared-address",
      })
      const checkoutOnSharedAddress = (i: number) => ({
        id: `fasm_bench_address_${i}`,
        cart_id: `bench_address_cart_${i}`,
        order_id: i % 10 === 0 ? `bench_address_order_${i}` : null,
        promotion_ids: i % 40 === 0 ? ["promo_other"] : [],
        ...identities("a", i),
      })
      const newShopper = (size: number, k: number) => ({ cart_id: `bench_address_current_${size}_${k}`, ...identities("new", k) })
      result.address_with_promotion = await growAndTime(service, checkoutOnSharedAddress, 300 * 86_400_000, newShopper, ["promo_bench"])
    })
  },
})
