import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type { Knex } from "knex"
import { FRAUD_MODULE } from ".."
import FraudModuleService, { IdentityKeys } from "../service"
import { IDENTITY_HISTORY_CAP } from "../../../ml/fraud/features"

jest.setTimeout(60_000)

const now = new Date()
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000)

moduleIntegrationTestRunner<FraudModuleService>({
  moduleName: FRAUD_MODULE,
  resolve: "./src/modules/fraud",
  moduleOptions: {},
  testSuite: ({ service }) => {
    const db = () => (service as unknown as { db_: Knex }).db_
    let n = 0
    const attempt = (over: Record<string, unknown>) => ({
      id: `fasm_test_${++n}`,
      cart_id: "c",
      order_id: null,
      customer_id: "cus",
      email_hash: "e",
      ip_hash: "ip",
      device_hash: null,
      address_hash: null,
      amount: 30,
      decision: "allow",
      reason: "test",
      facts: JSON.stringify([]),
      signals: JSON.stringify({}),
      created_at: minutesAgo(10),
      ...over,
    })
    const keys = (over: Partial<IdentityKeys> = {}): IdentityKeys => ({
      cart_id: "current",
      customer_id: "cus",
      email_hash: "e",
      email_norm_hash: null,
      ip_hash: "ip",
      device_hash: null,
      address_hash: null,
      ...over,
    })

    it("counts orders, carts and failed payments per identity in the last hour and day, in one statement", async () => {
      await db()("uplift_fraud_assessment").insert([
        attempt({ cart_id: "c1", order_id: "o1", created_at: minutesAgo(10), amount: 40 }),
        attempt({ cart_id: "c2", order_id: "o2", created_at: minutesAgo(120), amount: 20 }),
        attempt({ cart_id: "c3", created_at: minutesAgo(20) }),
        attempt({ cart_id: "c3", created_at: minutesAgo(21) }),
        attempt({ cart_id: "c4", customer_id: "other", created_at: minutesAgo(5) }),
        attempt({ cart_id: "current", created_at: minutesAgo(1) }),
        attempt({ cart_id: "old", order_id: "o0", created_at: minutesAgo(25 * 60) }),
      ])
      const history = await service.checkoutHistory(keys(), 30, [], now)
      expect(history.velocity).toMatchObject({
        "customer.orders_last_1h": 1,
        "customer.orders_last_24h": 2,
        "customer.carts_last_24h": 3,
        "customer.failed_payments_last_1h": 1,
        "customer.failed_payments_last_24h": 1,
        "ip.carts_last_1h": 3,
        "ip.carts_last_24h": 4,
        "device.carts_last_24h": 0,
        "address.orders_last_24h": 0,
      })
      expect(Object.keys(history.velocity)).toHaveLength(30)
      // The customer's earlier orders (the 25 h old one included), not this cart.
      expect(history.averageOrderValue).toBeCloseTo((40 + 20 + 30) / 3)
      // Another account on the same IP.
      expect(history.linked).toMatchObject({ accounts_per_ip: 2, accounts_per_device: 1, same_value_on_device: 0 })
      expect(history.model).toEqual({ accounts_on_ip: 2, accounts_on_device: 1, same_value_on_device: 0, signups_on_device: 0, signup_source: null })
      expect(history.linkedRedeemed).toBe(false)
    })

    it("counts velocity and linked accounts as a row-by-row reading of the checkouts says, over shared identities, windows and retries", async () => {
      // Checkouts spread over a year on a few shared identities, some carts tried more than once, some with orders.
      let seed = 7
      const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648)
      const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)]
      const ages = [5, 50, 90, 600, 1_500, 10 * 1440, 40 * 1440, 200 * 1440, 400 * 1440]
      const rows = Array.from({ length: 400 }, (_, k) => {
        const cart = `vc${Math.floor(k / 2) - (k % 5 === 0 ? 1 : 0)}`
        return attempt({
          cart_id: cart,
          order_id: random() < 0.5 ? `o_${cart}` : null,
          customer_id: pick(["cus", "cus_a", "cus_b", "cus_c", null]),
          email_hash: pick(["e", "e2"]),
          email_norm_hash: pick(["n", "n2", null]),
          ip_hash: pick(["ip", "ip2"]),
          device_hash: pick(["d", "d2", null]),
          address_hash: pick(["a", "a2", null]),
          amount: pick([30, 30.001, 45]),
          created_at: minutesAgo(pick(ages) + random() * 3),
        })
      })
      await db()("uplift_fraud_assessment").insert(rows)
      const at = (row: (typeof rows)[number]) => (row.created_at as Date).getTime()
      const query = keys({ customer_id: "cus", email_norm_hash: "n", device_hash: "d", address_hash: "a" })
      const history = await service.checkoutHistory(query, 30, [], now)

      const others = rows.filter((row) => row.cart_id !== query.cart_id && at(row) < now.getTime())
      const distinct = (values: unknown[]) => new Set(values).size
      const columns = { customer: "customer_id", email: "email_hash", ip: "ip_hash", device: "device_hash", address: "address_hash" } as const
      const expected: Record<string, number> = {}
      for (const [key, column] of Object.entries(columns)) {
        for (const [window, ms] of [["1h", 3_600_000], ["24h", 86_400_000]] as const) {
          const seen = others.filter((row) => row[column] === (query as any)[column] && at(row) >= now.getTime() - ms)
          const carts = distinct(seen.map((row) => row.cart_id))
          const ordered = distinct(seen.filter((row) => row.order_id).map((row) => row.cart_id))
          Object.assign(expected, { [`${key}.orders_last_${window}`]: ordered, [`${key}.carts_last_${window}`]: carts, [`${key}.failed_payments_last_${window}`]: carts - ordered })
        }
      }
      expect(history.velocity).toEqual(expected)

      const within = (days: number) => others.filter((row) => at(row) > now.getTime() - days * 86_400_000)
      const accounts = (days: number, column: string) =>
        distinct(within(days).filter((row) => (row as any)[column] === (query as any)[column] && row.customer_id && row.customer_id !== "cus").map((row) => row.customer_id)) + 1
      const sameAmount = (days: number) => distinct(within(days).filter((row) => row.device_hash === "d" && Math.abs((row.amount as number) - 30) < 0.005).map((row) => row.cart_id))
      expect(history.linked).toEqual({
        accounts_per_device: accounts(30, "device_hash"),
        accounts_per_ip: accounts(30, "ip_hash"),
        accounts_per_address: accounts(30, "address_hash"),
        accounts_per_normalized_email: accounts(30, "email_norm_hash"),
        same_value_on_device: sameAmount(30),
      })
      expect(history.model).toMatchObject({ accounts_on_device: accounts(365, "device_hash"), accounts_on_ip: accounts(365, "ip_hash"), same_value_on_device: sameAmount(365) })
      // The reading is not trivial: every count has something to count.
      expect(Math.min(...Object.values(history.linked), history.model.accounts_on_ip, history.velocity["ip.failed_payments_last_24h"])).toBeGreaterThan(1)
    })

    it("reads a flooded IP's latest IDENTITY_HISTORY_CAP checkouts: its counts stop there, the customer's own stay exact", async () => {
      const flood = Array.from({ length: IDENTITY_HISTORY_CAP + 30 }, (_, k) =>
        attempt({ cart_id: `flood_${k}`, customer_id: `flooder_${k}`, email_hash: `fe${k}`, ip_hash: "flooded", order_id: k % 2 ? `fo${k}` : null, created_at: minutesAgo(50 - k / 20) })
      )
      await db()("uplift_fraud_assessment").insert([...flood, attempt({ cart_id: "mine", ip_hash: "flooded", order_id: "om", created_at: minutesAgo(55) })])
      const history = await service.checkoutHistory(keys({ ip_hash: "flooded" }), 30, [], now)
      expect(history.velocity).toMatchObject({ "ip.carts_last_1h": IDENTITY_HISTORY_CAP, "ip.orders_last_1h": IDENTITY_HISTORY_CAP / 2, "customer.carts_last_1h": 1, "customer.orders_last_1h": 1 })
      expect(history.linked.accounts_per_ip).toBe(IDENTITY_HISTORY_CAP + 1)
    })

    it("counts accounts registered on the device before now, or seen checking out on it, as the model's signups_on_device", async () => {
      const daysAgo = (days: number) => minutesAgo(days * 1440)
      await service.captureSignupSignal("registered", "ip", "dev-s", minutesAgo(30))
      await service.captureSignupSignal("registered", "ip", "dev-s", minutesAgo(5)) // the first registration recorded wins
      await service.captureSignupSignal("cus", "ip", "dev-s", minutesAgo(40)) // this customer
      await service.captureSignupSignal("tomorrow", "ip", "dev-s", new Date(now.getTime() + 86_400_000))
      await service.captureSignupSignal("ancient", "ip", "dev-s", daysAgo(400))
      await service.captureSignupSignal("elsewhere", "ip", "dev-other", minutesAgo(30))
      await db()("uplift_fraud_assessment").insert([
        attempt({ cart_id: "s1", customer_id: "bought", device_hash: "dev-s", created_at: minutesAgo(50) }),
        attempt({ cart_id: "s2", customer_id: "registered", device_hash: "dev-s", created_at: minutesAgo(20) }),
        attempt({ cart_id: "current", customer_id: "cus", device_hash: "dev-s", created_at: minutesAgo(1) }),
      ])
      const history = await service.checkoutHistory(keys({ device_hash: "dev-s" }), 30, [], now)
      // "registered" (registered and bought) and "bought" (no registration record): not this customer, not later, not 400 days ago.
      expect(history.model).toMatchObject({ accounts_on_device: 3, signups_on_device: 2 })
      expect((await service.checkoutHistory(keys({ device_hash: "dev-s" }), 30, [], minutesAgo(35))).model).toMatchObject({ accounts_on_device: 2, signups_on_device: 1 })
    })

    it("reads the customer's acquisition channel from their own registration, as the model's signup_source", async () => {
      await service.captureSignupSignal("cus", "ip", "dev", minutesAgo(60), "direct")
      await service.captureSignupSignal("cus", "ip", "dev", minutesAgo(30), "ads") // the first registration recorded wins
      await service.captureSignupSignal("other", "ip", "dev", minutesAgo(30), "seo")
      await service.captureSignupSignal("unknown", "ip", "dev", minutesAgo(30))
      expect((await service.checkoutHistory(keys(), 30, [], now)).model.signup_source).toBe("direct")
      expect((await service.checkoutHistory(keys({ customer_id: "other" }), 30, [], now)).model.signup_source).toBe("seo")
      expect((await service.checkoutHistory(keys({ customer_id: "unknown" }), 30, [], now)).model.signup_source).toBeNull()
      expect((await service.checkoutHistory(keys({ customer_id: null }), 30, [], now)).model.signup_source).toBeNull()
    })

    it("answers for a guest with no identity at all", async () => {
      const history = await service.checkoutHistory(keys({ customer_id: null, email_hash: null, ip_hash: null }), 10, ["promo"], now)
      expect(history.averageOrderValue).toBe(0)
      expect(history.linked).toEqual({ accounts_per_device: 1, accounts_per_ip: 1, accounts_per_address: 1, accounts_per_normalized_email: 1, same_value_on_device: 0 })
      expect(history.model).toEqual({ accounts_on_device: 1, accounts_on_ip: 1, same_value_on_device: 0, signups_on_device: 0, signup_source: null })
      expect(history.linkedRedeemed).toBe(false)
      expect(Object.values(history.velocity).every((v) => v === 0)).toBe(true)
    })

    it("sees a promotion redeemed by a linked account, unless that order is held", async () => {
      await db()("uplift_fraud_assessment").insert(attempt({ cart_id: "c9", order_id: "o9", customer_id: "first", device_hash: "dev", promotion_ids: ["promo"] }))
      expect((await service.checkoutHistory(keys({ device_hash: "dev" }), 30, ["promo"], now)).linkedRedeemed).toBe(true)
      expect((await service.checkoutHistory(keys({ device_hash: "dev" }), 30, ["other"], now)).linkedRedeemed).toBe(false)
      await db()("uplift_fraud_hold").insert({ id: "fhold_9", cart_id: "c9", order_id: "o9", status: "open", reason: "test" })
      expect((await service.checkoutHistory(keys({ device_hash: "dev" }), 30, ["promo"], now)).linkedRedeemed).toBe(false)
    })

    it("sees a redemption through the address or the normalized email, however many checkouts piled onto it since", async () => {
      await db()("uplift_fraud_assessment").insert([
        attempt({ cart_id: "c_addr", order_id: "o_addr", customer_id: "first", device_hash: "d1", address_hash: "addr", email_norm_hash: "n1", promotion_ids: ["promo"], created_at: minutesAgo(120) }),
        attempt({ cart_id: "c_mail", order_id: "o_mail", customer_id: "second", device_hash: "d2", address_hash: "a2", email_norm_hash: "mail", promotion_ids: ["promo"], created_at: minutesAgo(120) }),
      ])
      // The attack: checkout attempts flooding the address push that order past its latest IDENTITY_HISTORY_CAP checkouts.
      const flood = Array.from({ length: IDENTITY_HISTORY_CAP + 100 }, (_, i) =>
        attempt({ id: `fasm_flood_${i}`, cart_id: `c_flood_${i}`, customer_id: `flood_${i}`, device_hash: `fd${i}`, address_hash: "addr", email_norm_hash: `fn${i}`, created_at: minutesAgo(60) })
      )
      for (let k = 0; k < flood.length; k += 200) await db()("uplift_fraud_assessment").insert(flood.slice(k, k + 200))
      const checkout = (identity: Partial<IdentityKeys>, promotions: string[]) =>
        service.checkoutHistory(keys({ device_hash: "fresh", address_hash: "fresh", email_norm_hash: "fresh", ...identity }), 30, promotions, now)
      expect((await checkout({ address_hash: "addr" }, ["promo"])).linkedRedeemed).toBe(true)
      expect((await checkout({ email_norm_hash: "mail" }, ["promo"])).linkedRedeemed).toBe(true)
      expect((await checkout({ address_hash: "addr" }, ["other"])).linkedRedeemed).toBe(false)
      expect((await checkout({}, ["promo"])).linkedRedeemed).toBe(false)
    })

    it("writes the assessment and opens the pending hold together; a later allow removes the pending hold", async () => {
      const row = (id: string, decision: string) => ({ id, cart_id: "cart_h", decision, reason: decision, facts: [], signals: {} })
      await service.recordAssessment(row("fasm_h1", "hold"))
      expect(await db()("uplift_fraud_hold").where({ cart_id: "cart_h" }).select("assessment_id", "status")).toEqual([{ assessment_id: "fasm_h1", status: "open" }])
      await service.recordAssessment(row("fasm_h2", "hold"))
      expect(await db()("uplift_fraud_hold").where({ cart_id: "cart_h" }).select("assessment_id")).toEqual([{ assessment_id: "fasm_h2" }])
      await service.recordAssessment(row("fasm_h3", "allow"))
      expect(await db()("uplift_fraud_hold").where({ cart_id: "cart_h" })).toHaveLength(0)
      expect(await db()("uplift_fraud_assessment").where({ cart_id: "cart_h" }).pluck("id")).toEqual(expect.arrayContaining(["fasm_h1", "fasm_h2", "fasm_h3"]))
      // A failing write leaves no hold behind (one statement: both or neither).
      await expect(service.recordAssessment(row("fasm_h1", "hold"))).rejects.toThrow()
      expect(await db()("uplift_fraud_hold").where({ cart_id: "cart_h" })).toHaveLength(0)
    })

    it("hands a capture in flight to the checkout, the request's own first, and reads the table otherwise", async () => {
      expect(await service.captureClientSignal("cart_s", "ip1", "dev1")).toEqual({ ip_hash: "ip1", device_hash: "dev1" })
      // A later attempt without a device keeps the device seen before.
      service.shareClientSignals("cart_s", service.captureClientSignal("cart_s", "ip2", null))
      expect(await service.clientSignal("cart_s")).toEqual({ ip_hash: "ip2", device_hash: "dev1" })
      // The request's own capture wins over one shared for the cart by a concurrent request.
      service.shareClientSignals("cart_s", Promise.resolve({ ip_hash: "other", device_hash: null }))
      expect(await service.clientSignal("cart_s", Promise.resolve({ ip_hash: "mine", device_hash: "dev1" }))).toEqual({ ip_hash: "mine", device_hash: "dev1" })
      // Nothing taken (not the session's cart, over the limit): what an earlier attempt stored.
      await db()("uplift_fraud_client_signal").where({ cart_id: "cart_s" }).update({ ip_hash: "ip3" })
      expect(await service.clientSignal("cart_s", Promise.resolve(null))).toEqual({ ip_hash: "ip3", device_hash: "dev1" })
      expect(await service.clientSignal("cart_s")).toEqual({ ip_hash: "ip3", device_hash: "dev1" })
      expect(await service.clientSignal("cart_none")).toBeNull()
    })

    it("counts the customer's orders from their first recorded count and their screened orders since", async () => {
      // No assessment recorded a count yet: the caller asks the order module.
      await db()("uplift_fraud_assessment").insert(attempt({ cart_id: "legacy", order_id: "o_legacy", created_at: minutesAgo(60) }))
      expect((await service.checkoutHistory(keys(), 30, [], now)).orderCount).toBeNull()
      await db()("uplift_fraud_assessment").insert([
        // The first screened checkout counted 5 earlier orders (placed before screening) and became an order.
        attempt({ cart_id: "c1", order_id: "o1", created_at: minutesAgo(50), signals: JSON.stringify({ "customer.order_count": 5 }) }),
        attempt({ cart_id: "c2", order_id: "o2", created_at: minutesAgo(40), signals: JSON.stringify({ "customer.order_count": 6 }) }),
        attempt({ cart_id: "c3", created_at: minutesAgo(30), decision: "block", signals: JSON.stringify({ "customer.order_count": 7 }) }),
        attempt({ cart_id: "c4", customer_id: "other", order_id: "o4", created_at: minutesAgo(20), signals: JSON.stringify({ "customer.order_count": 0 }) }),
        attempt({ cart_id: "current", order_id: null, created_at: minutesAgo(1), signals: JSON.stringify({ "customer.order_count": 7 }) }),
      ])
      expect((await service.checkoutHistory(keys(), 30, [], now)).orderCount).toBe(7)
      expect((await service.checkoutHistory(keys({ customer_id: "other", cart_id: "next" }), 30, [], now)).orderCount).toBe(1)
      expect((await service.checkoutHistory(keys({ customer_id: null }), 30, [], now)).orderCount).toBe(0)
    })
  },
})
