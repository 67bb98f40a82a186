import * as fs from "fs"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type { Knex } from "knex"
import { FRAUD_MODULE } from "../../src/modules/fraud"
import type FraudModuleService from "../../src/modules/fraud/service"
import type { IdentityKeys } from "../../src/modules/fraud/service"

jest.setTimeout(Number(process.env.BENCH_TIMEOUT_S ?? 1_800) * 1_000)

/** Earlier checkouts on the shopper's IP at which the history statement is timed (a shared IP filling up). */
const SIZES = (process.env.BENCH_HISTORY_SIZES ?? "100,1000,5000").split(",").map(Number)
const TIMED = Number(process.env.BENCH_HISTORY_TIMED ?? 200)

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/**
 * The checkout's history statement (FraudModuleService.checkoutHistory: velocity, linked accounts, signups,
 * order count...) timed as checkouts pile up on one IP, as on a store behind a shared IP or under a
 * checkout flood: 20 accounts on the IP, each with its own device, a third of their carts retried, half of
 * them ordered, over the last day.
 */
moduleIntegrationTestRunner<FraudModuleService>({
  moduleName: FRAUD_MODULE,
  resolve: "./src/modules/fraud",
  moduleOptions: {},
  testSuite: ({ service }) => {
    it("times the checkout history statement as the IP's checkouts grow", async () => {
      const db = (service as unknown as { db_: Knex }).db_
      const now = Date.now()
      let inserted = 0
      const result: Record<string, number> = {}
      for (const size of SIZES) {
        const rows: Record<string, unknown>[] = []
        for (; inserted < size; inserted++) {
          const shopper = inserted % 20
          const cart = `bench_cart_${inserted - (inserted % 3 === 0 ? 1 : 0)}`
          rows.push({
            id: `fasm_bench_${inserted}`,
            cart_id: cart,
            order_id: inserted % 2 ? `bench_order_${cart}` : null,
            customer_id: `bench_cus_${shopper}`,
            email_hash: `e${shopper}`,
            email_norm_hash: `n${shopper}`,
            ip_hash: "shared-ip",
            device_hash: `d${shopper}`,
            address_hash: `a${shopper}`,
            amount: 20 + (inserted % 7),
            decision: "allow",
            reason: "bench",
            facts: JSON.stringify([]),
            signals: JSON.stringify({}),
            created_at: new Date(now - 60_000 - ((size - inserted) / size) * 23 * 3_600_000),
          })
        }
        for (let k = 0; k < rows.length; k += 1_000) await db("uplift_fraud_assessment").insert(rows.slice(k, k + 1_000))
        await db.raw("analyze uplift_fraud_assessment")
        const keys = (k: number): IdentityKeys => ({
          cart_id: `bench_current_${size}_${k}`,
          customer_id: `bench_cus_${k % 20}`,
          email_hash: `e${k % 20}`,
          email_norm_hash: `n${k % 20}`,
          ip_hash: "shared-ip",
          device_hash: `d${k % 20}`,
          address_hash: `a${k % 20}`,
        })
        for (let k = 0; k < 20; k++) await service.checkoutHistory(keys(k), 25, [], new Date())
        const times: number[] = []
        for (let k = 0; k < TIMED; k++) {
          const t = process.hrtime.bigint()
          await service.checkoutHistory(keys(k), 25, [], new Date())
          times.push(Number(process.hrtime.bigint() - t) / 1e6)
        }
        result[String(size)] = median(times)
      }
      fs.writeFileSync(process.env.BENCH_OUT ?? "/tmp/bench-checkout-history.json", JSON.stringify(result))
    })
  },
})
