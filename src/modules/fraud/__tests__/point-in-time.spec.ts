import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type { Knex } from "knex"
import { FRAUD_MODULE } from ".."
import { FraudRow, IDENTITY_HISTORY_CAP, pointInTimeFacts, toMillis } from "../../../ml/fraud/features"
import { checkoutFraudFacts, fraudFeatureVector, LIVE_FRAUD_FEATURES, signupSourceOf } from "../model/features"
import FraudModuleService from "../service"

jest.setTimeout(60_000)

const row = (accountId: string, signup: string, purchase: string, value: number, device: string, ip: number, source = "SEO"): FraudRow => ({
  accountId,
  signupTime: signup,
  purchaseTime: purchase,
  purchaseValue: value,
  deviceId: device,
  ipAddress: ip,
  source,
  browser: "Chrome",
  sex: "M",
  age: 30,
})

/**
 * Orders as the public set records them: a ring of the public set (device VRYLIRAQJIIIE: five accounts in
 * one minute, a sixth a minute later), a device shared across months with repeated amounts, an IP shared by
 * two devices, an order more than FRAUD_LINK_WINDOW_DAYS before the others, an account that registered long
 * before its first order, and orders after every instant we score (they must not count).
 */
const rows: FraudRow[] = [
  ...["392706", "329873", "140665", "289187", "212519"].map((id) => row(id, "2015-01-07 08:15:00", "2015-01-07 08:15:00", 65, "VRYLIRAQJIIIE", 1213104904)),
  row("88180", "2015-01-07 08:15:00", "2015-01-07 08:16:00", 65, "VRYLIRAQJIIIE", 1213104904),
  row("a1", "2014-01-02 10:00:00", "2014-01-03 10:00:00", 40, "SHARED", 77),
  row("a2", "2015-02-01 09:00:00", "2015-03-01 12:30:00", 40, "SHARED", 77, "Direct"),
  row("a3", "2015-03-02 09:00:00", "2015-04-10 18:05:00", 40, "SHARED", 88),
  row("a3", "2015-03-02 09:00:00", "2015-05-10 18:05:00", 25, "SHARED", 88),
  row("a4", "2015-04-11 00:00:00", "2015-06-01 07:45:00", 40, "SHARED", 88),
  row("b1", "2015-05-20 10:00:00", "2015-06-02 10:00:00", 90, "OTHER", 88, "Ads"),
  row("late", "2015-12-01 10:00:00", "2015-12-14 23:08:00", 40, "SHARED", 88),
]

/** The checkout assessment a store would have recorded for the order at its purchase time. */
const assessmentOf = (r: FraudRow, id: string, cartId: string) => ({
  id,
  cart_id: cartId,
  customer_id: r.accountId,
  device_hash: r.deviceId,
  ip_hash: String(r.ipAddress),
  amount: r.purchaseValue,
  decision: "allow",
  reason: "test",
  facts: JSON.stringify([]),
  signals: JSON.stringify({}),
  created_at: new Date(toMillis(r.purchaseTime)),
})

moduleIntegrationTestRunner<FraudModuleService>({
  moduleName: FRAUD_MODULE,
  resolve: "./src/modules/fraud",
  moduleOptions: {},
  testSuite: ({ service }) => {
    const db = () => (service as unknown as { db_: Knex }).db_
    const cartOf = (i: number) => `cart_pit_${i}`

    it("training rows and checkout features agree for the same order at the same instant (counts from rows before it only)", async () => {
      // Every order as the checkout assessment that a store would have recorded at its purchase time.
      await db()("uplift_fraud_assessment").insert(rows.map((r, i) => assessmentOf(r, `fasm_pit_${i}`, cartOf(i))))
      // Every account's registration, on the device it first bought from, as the sign-up middleware records it.
      const registered = new Set<string>()
      for (const r of [...rows].sort((a, b) => toMillis(a.purchaseTime) - toMillis(b.purchaseTime))) {
        if (registered.has(r.accountId!)) continue
        registered.add(r.accountId!)
        await service.captureSignupSignal(r.accountId!, String(r.ipAddress), r.deviceId, new Date(toMillis(r.signupTime)), signupSourceOf(r.source))
      }
      const training = pointInTimeFacts(rows).map(fraudFeatureVector)
      for (const [i, r] of rows.entries()) {
        const now = new Date(toMillis(r.purchaseTime))
        const keys = { cart_id: cartOf(i), customer_id: r.accountId!, email_hash: null, email_norm_hash: null, ip_hash: String(r.ipAddress), device_hash: r.deviceId, address_hash: null }
        const history = await service.checkoutHistory(keys, r.purchaseValue, [], now)
        const checkout = fraudFeatureVector(checkoutFraudFacts({ signupAt: new Date(toMillis(r.signupTime)), now, purchaseValue: r.purchaseValue, counts: history.model }))
        expect({ order: i, features: Object.fromEntries(LIVE_FRAUD_FEATURES.map((name, k) => [name, checkout[k]])) }).toEqual({
          order: i,
          features: Object.fromEntries(LIVE_FRAUD_FEATURES.map((name, k) => [name, training[i][k]])),
        })
      }
      const column = (name: string) => training.map((features) => features[LIVE_FRAUD_FEATURES.indexOf(name as (typeof LIVE_FRAUD_FEATURES)[number])])
      // The ring's first five bought in the same minute: none saw another; the sixth saw all five.
      expect(column("accounts_on_device").slice(0, 6)).toEqual([1, 1, 1, 1, 1, 6])
      // SHARED: a1 is older than the window; a3's second order is the same account; "late" saw a2, a3 and a4.
      expect(column("accounts_on_device").slice(6)).toEqual([1, 1, 2, 2, 3, 1, 4])
      expect(column("same_value_on_device").slice(6)).toEqual([0, 0, 1, 0, 2, 0, 3])
      expect(column("accounts_on_ip").slice(6)).toEqual([1, 1, 1, 1, 2, 3, 4])
      // Sign-ups strictly before the purchase: the ring's sixth saw the five register in the minute before;
      // a3's second order sees a4, registered but not yet buying; "late" sees a2, a3 and a4, not a1 (out of the window).
      expect(column("signups_on_device").slice(0, 6)).toEqual([0, 0, 0, 0, 0, 5])
      expect(column("signups_on_device").slice(6)).toEqual([0, 0, 1, 2, 2, 0, 3])
      // The channel each account signed up by, as its registration recorded it.
      expect(column("signup_source_direct").slice(6)).toEqual([0, 1, 0, 0, 0, 0, 0])
    })

    it("agree past the identity history cap: a flooded device and IP count their latest IDENTITY_HISTORY_CAP checkouts, in training as at checkout", async () => {
      // More accounts than the cap buy on one device and IP, a minute apart, each registered there just before.
      const flood = Array.from({ length: IDENTITY_HISTORY_CAP + 40 }, (_, k) => {
        const at = new Date(Date.UTC(2015, 6, 1) + k * 60_000).toISOString()
        return row(`flood_${k}`, at, at.replace(/:00\.000Z$/, ":30.000Z"), 50, "FLOOD", 999)
      })
      await db()("uplift_fraud_assessment").insert(flood.map((r, i) => assessmentOf(r, `fasm_flood_${i}`, `cart_flood_${i}`)))
      await db()("uplift_fraud_signup_signal").insert(
        flood.map((r, i) => ({ id: `fsig_flood_${i}`, customer_id: r.accountId, ip_hash: "999", device_hash: "FLOOD", source: "seo", created_at: new Date(toMillis(r.signupTime)) }))
      )
      const training = pointInTimeFacts(flood).map(fraudFeatureVector)
      const feature = (features: number[], name: string) => features[LIVE_FRAUD_FEATURES.indexOf(name as (typeof LIVE_FRAUD_FEATURES)[number])]
      for (const i of [flood.length - 1, IDENTITY_HISTORY_CAP, IDENTITY_HISTORY_CAP - 1]) {
        const r = flood[i]
        const now = new Date(toMillis(r.purchaseTime))
        const keys = { cart_id: `cart_flood_${i}`, customer_id: r.accountId!, email_hash: null, email_norm_hash: null, ip_hash: "999", device_hash: "FLOOD", address_hash: null }
        const history = await service.checkoutHistory(keys, r.purchaseValue, [], now)
        const checkout = fraudFeatureVector(checkoutFraudFacts({ signupAt: new Date(toMillis(r.signupTime)), now, purchaseValue: r.purchaseValue, counts: history.model }))
        for (const name of ["accounts_on_device", "accounts_on_ip", "same_value_on_device", "signups_on_device"]) {
          expect({ order: i, name, value: feature(checkout, name) }).toEqual({ order: i, name, value: feature(training[i], name) })
        }
      }
      // Under the cap every earlier account counts; past it, the latest IDENTITY_HISTORY_CAP checkouts do.
      expect(feature(training[IDENTITY_HISTORY_CAP - 1], "accounts_on_ip")).toBe(IDENTITY_HISTORY_CAP)
      expect(feature(training[flood.length - 1], "accounts_on_ip")).toBe(IDENTITY_HISTORY_CAP + 1)
      expect(feature(training[flood.length - 1], "same_value_on_device")).toBe(IDENTITY_HISTORY_CAP)
    })
  },
})
