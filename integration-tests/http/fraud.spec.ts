/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { createTestStore, eventually, TestStore } from "../helpers/store"
import { completeAgain, orderDetails, ordersOfCart, placeOrder, responseOf, shopper } from "../helpers/fraud"
import { hashIdentifier } from "../../src/lib/hashing"

jest.setTimeout(240_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    const createRule = async (body: Record<string, unknown>) => (await api.post("/admin/fraud/rules", { name: "rule", ...body }, admin)).data.rule
    const holdOf = (orderId: string) =>
      eventually(
        async () => (await api.get(`/admin/fraud/holds?order_id=${orderId}`, admin)).data.holds[0],
        (hold) => Boolean(hold)
      )
    const assessmentsOfCart = async (cartId: string) => (await api.get(`/admin/fraud/assessments?cart_id=${cartId}`, admin)).data.assessments

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    it("validates rules with a 400 naming the field, and supports CRUD", async () => {
      const base = { name: "r", action: "block", conditions: [{ field: "order.total", operator: "gt", value: 100 }] }
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ ...base, conditions: [{ field: "order.colour", operator: "eq", value: "red" }] }, /order\.colour/],
        [{ ...base, conditions: [{ field: "email_domain", operator: "gt", value: "x.com" }] }, /operator "gt" is not allowed/],
        [{ ...base, conditions: [{ field: "order.total", operator: "gt", value: "lots" }] }, /order\.total.*number/],
        [{ ...base, conditions: [{ field: "ip", operator: "in", value: "1.2.3.4" }] }, /array/],
        [{ ...base, conditions: [{ field: "order.total", operator: "between", value: 1 }] }, /operator/],
        [{ ...base, action: "review" }, /action/],
        [{ ...base, conditions: [] }, /conditions/],
        [{ ...base, name: undefined }, /name/],
        [{ ...base, surprise: 1 }, /surprise/],
        [{ ...base, priority: "high" }, /priority/],
        // A count never passes the identity history cap: such a condition would never hold.
        [{ ...base, conditions: [{ field: "ip.carts_last_24h", operator: "gte", value: 501 }] }, /field "ip\.carts_last_24h" counts up to 500/],
      ]
      for (const [body, message] of cases) {
        const response = await responseOf(api.post("/admin/fraud/rules", body, admin))
        expect([response.status, response.data.message]).toEqual([400, expect.stringMatching(message)])
      }
      const bad = await responseOf(api.post("/admin/fraud/rules/frule_missing", { enabled: false }, admin))
      expect(bad.status).toBe(404)
      const badQuery = await responseOf(api.get("/admin/fraud/holds?status=maybe", admin))
      expect(badQuery.status).toBe(400)
      expect((await responseOf(api.get("/admin/fraud/rules"))).status).toBe(401)

      const rule = await createRule(base)
      expect(rule).toMatchObject({ enabled: true, priority: 0, action: "block" })
      const updated = (await api.post(`/admin/fraud/rules/${rule.id}`, { enabled: false, priority: 5 }, admin)).data.rule
      expect(updated).toMatchObject({ enabled: false, priority: 5 })
      expect((await api.get("/admin/fraud/rules", admin)).data.count).toBe(1)
      await api.delete(`/admin/fraud/rules/${rule.id}`, admin)
      expect((await api.get("/admin/fraud/rules", admin)).data.count).toBe(0)
    })

    it("blocks by rule with a 4xx and no order, and the cart completes once the rule is disabled", async () => {
      const rule = await createRule({ name: "Block test domain", action: "block", conditions: [{ field: "email_domain", operator: "eq", value: "blocked.test" }] })
      const buyer = await shopper(api, store, "mallory@blocked.test")
      const blocked = await placeOrder(api, store, buyer)
      expect(blocked.status).toBe(400)
      expect(blocked.data.message).toMatch(/declined by the store's fraud screening/)
      expect(await ordersOfCart(getContainer(), blocked.cartId)).toHaveLength(0)
      const cart = (await api.get(`/store/carts/${blocked.cartId}`, { headers: { "x-publishable-api-key": store.publishableKey, ...buyer.headers } })).data.cart
      expect(cart.completed_at).toBeNull()
      const [assessment] = await assessmentsOfCart(blocked.cartId)
      expect(assessment).toMatchObject({ decision: "block", rule_id: rule.id, model_version: expect.stringMatching(/^fraud-gbdt/) })

      await api.post(`/admin/fraud/rules/${rule.id}`, { enabled: false }, admin)
      const retried = await completeAgain(api, store, buyer, blocked.cartId)
      expect(retried.status).toBe(200)
      expect(retried.data.type).toBe("order")
      const assessments = await assessmentsOfCart(blocked.cartId)
      expect(assessments.map((a: any) => a.decision).sort()).toEqual(["allow", "block"])
      const allowed = assessments.find((a: any) => a.decision === "allow")
      expect(allowed.score).toBeGreaterThanOrEqual(0)
      expect(allowed.facts.length).toBeGreaterThan(0)
      for (const fact of allowed.facts) expect(["positive", "neutral", "negative"]).toContain(fact.sentiment)
      await eventually(async () => (await api.get(`/admin/fraud/assessments?order_id=${retried.data.order.id}`, admin)).data.assessments, (rows) => rows.length === 1)
    })

    it("holds by rule: capture and fulfillment answer 409, release lets capture through, audit and labels recorded", async () => {
      await createRule({ name: "Review everything", action: "hold", conditions: [{ field: "order.total", operator: "gte", value: 1 }] })
      const buyer = await shopper(api, store, "held@uplift.test")
      const placed = await placeOrder(api, store, buyer)
      expect(placed.status).toBe(200)
      const orderId = placed.data.order.id
      const hold = await holdOf(orderId)
      expect(hold).toMatchObject({ status: "open", reason: expect.stringMatching(/Review everything/) })
      expect((await api.get("/admin/fraud/holds?status=open", admin)).data.holds.map((h: any) => h.id)).toEqual([hold.id])

      const order = await orderDetails(getContainer(), orderId)
      const paymentId = order.payment_collections[0].payments[0].id
      const capture = await responseOf(api.post(`/admin/payments/${paymentId}/capture`, {}, admin))
      const { display_id } = (await api.get(`/admin/orders/${orderId}?fields=display_id`, admin)).data.order
      expect([capture.status, capture.data]).toEqual([
        409,
        { type: "conflict", code: "fraud_hold_open", hold_id: hold.id, message: `Order #${display_id} is on fraud hold (rule "Review everything" (hold)); release the hold before capturing payment.` },
      ])
      const fulfill = await responseOf(api.post(`/admin/orders/${orderId}/fulfillments`, { items: [{ id: order.items[0].id, quantity: 1 }] }, admin))
      expect([fulfill.status, fulfill.data.hold_id, fulfill.data.message]).toEqual([409, hold.id, expect.stringMatching(/before fulfilling it\.$/)])

      const released = await api.post(`/admin/fraud/holds/${hold.id}/release`, { note: "called the customer" }, admin)
      expect(released.data.hold).toMatchObject({ status: "released", note: "called the customer", resolved_by: expect.stringMatching(/^user_/) })
      const again = await responseOf(api.post(`/admin/fraud/holds/${hold.id}/reject`, {}, admin))
      expect([again.status, again.data.code, again.data.message]).toEqual([409, "fraud_hold_unresolvable", `Fraud hold ${hold.id} is already released`])
      const captured = await api.post(`/admin/payments/${paymentId}/capture`, {}, admin)
      expect(captured.status).toBe(200)

      const [audited] = (await api.get(`/admin/fraud/holds?order_id=${orderId}`, admin)).data.holds
      expect(audited.audit.map((e: any) => e.action)).toEqual(["opened", "released"])
      expect(audited.audit[1]).toMatchObject({ actor_id: expect.stringMatching(/^user_/), note: "called the customer", created_at: expect.anything() })
      const labels = (await api.get(`/admin/fraud/labels?order_id=${orderId}`, admin)).data.labels
      expect(labels).toEqual([expect.objectContaining({ label: "legit", source: "hold_release" })])

      const chargeback = await api.post("/admin/fraud/labels", { order_id: orderId, label: "fraud", source: "chargeback", note: "dispute" }, admin)
      expect(chargeback.status).toBe(201)
      expect(chargeback.data.label).toMatchObject({ label: "fraud", source: "chargeback", customer_id: buyer.customerId })
      expect((await responseOf(api.post("/admin/fraud/labels", { order_id: orderId, label: "fraud", source: "rumour" }, admin))).data.message).toMatch(/source/)
      expect((await responseOf(api.post("/admin/fraud/labels", { order_id: "order_missing", label: "fraud", source: "manual" }, admin))).status).toBe(404)
    })

    it("reject cancels the order and voids the authorization; parallel release and reject: exactly one wins", async () => {
      await createRule({ name: "Hold all", action: "hold", conditions: [{ field: "order.item_count", operator: "gte", value: 1 }] })
      const buyer = await shopper(api, store, "rejected@uplift.test")
      const first = await placeOrder(api, store, buyer)
      const hold = await holdOf(first.data.order.id)
      const rejected = await api.post(`/admin/fraud/holds/${hold.id}/reject`, { note: "stolen card" }, admin)
      expect(rejected.data.hold.status).toBe("rejected")
      const order = await orderDetails(getContainer(), first.data.order.id)
      expect(order.status).toBe("canceled")
      expect(order.payment_collections[0].payments[0].canceled_at).toBeTruthy()
      expect(order.payment_collections[0].payments[0].captured_at).toBeFalsy()
      expect((await api.get(`/admin/fraud/labels?order_id=${order.id}`, admin)).data.labels).toEqual([expect.objectContaining({ label: "fraud", source: "hold_reject" })])

      const second = await placeOrder(api, store, buyer)
      const race = await holdOf(second.data.order.id)
      const outcomes = await Promise.all([
        responseOf(api.post(`/admin/fraud/holds/${race.id}/release`, { note: "a" }, admin)),
        responseOf(api.post(`/admin/fraud/holds/${race.id}/reject`, { note: "b" }, admin)),
      ])
      expect(outcomes.map((o) => o.status).sort()).toEqual([200, 409])
      const [final] = (await api.get(`/admin/fraud/holds?order_id=${second.data.order.id}`, admin)).data.holds
      const winner = outcomes.find((o) => o.status === 200)!.data.hold.status
      expect(final.status).toBe(winner)
      expect(final.audit.map((e: any) => e.action)).toEqual(["opened", winner])
      expect((await orderDetails(getContainer(), second.data.order.id)).status).toBe(winner === "rejected" ? "canceled" : "pending")
    })

    it("holds by score: a second account on the same device crosses the default threshold", async () => {
      const first = await placeOrder(api, store, await shopper(api, store, "ann@uplift.test", "device-shared-1"))
      expect(first.status).toBe(200)
      const [allowed] = await assessmentsOfCart(first.cartId)
      // A brand-new account alone on its device: the model scores it high (about 80), the score alone does not hold it.
      expect(allowed).toMatchObject({ decision: "allow", model_engine: "onnx" })
      expect(allowed.facts).toEqual(expect.arrayContaining([expect.objectContaining({ code: "new_account", sentiment: "neutral" })]))
      expect(allowed.features).toMatchObject({ accounts_on_device: 1, accounts_on_ip: 1, same_value_on_device: 0, signups_on_device: 0, signup_source_direct: 0 })
      await eventually(async () => (await api.get(`/admin/fraud/assessments?order_id=${first.data.order.id}`, admin)).data.count, (n) => n === 1)

      const second = await placeOrder(api, store, await shopper(api, store, "bob@uplift.test", "device-shared-1"))
      expect(second.status).toBe(200)
      const [held] = await assessmentsOfCart(second.cartId)
      expect(held).toMatchObject({ decision: "hold", rule_id: null, reason: expect.stringMatching(/risk score \d+ is at or above the hold threshold 80/) })
      expect(held.score).toBeGreaterThanOrEqual(80)
      expect(held.signals.accounts_per_device).toBe(2)
      // Ann registered without a device id: her checkout on the device is what makes her a known account there.
      expect(held.features).toMatchObject({ accounts_on_device: 2, signups_on_device: 1 })
      expect(held.facts.map((f: any) => f.code)).not.toContain("new_account")
      expect(held.facts).toEqual(expect.arrayContaining([expect.objectContaining({ code: "shared_device", sentiment: "negative" })]))
      expect(await holdOf(second.data.order.id)).toMatchObject({ status: "open" })
    })

    it("holds a checkout from a device where another account registered before, even one that never bought; registrations stored hashed", async () => {
      const device = { "x-device-id": "device-signup-7" }
      const carl = await customerHeaders(api as any, store.publishableKey, "carl@uplift.test", device)
      const dana = await customerHeaders(api as any, store.publishableKey, "dana@uplift.test", { ...device, "x-acquisition-source": "Direct" })
      const placed = await placeOrder(api, store, { email: "dana@uplift.test", customerId: dana.customerId, headers: { ...dana.headers, ...device } })
      expect(placed.status).toBe(200)
      const [assessment] = await assessmentsOfCart(placed.cartId)
      expect(assessment.features).toMatchObject({ accounts_on_device: 1, signups_on_device: 1, signup_source_direct: 1 })
      expect(assessment).toMatchObject({ decision: "hold", rule_id: null })
      expect(assessment.facts.map((f: any) => f.code)).not.toContain("new_account")

      const db = getContainer().resolve("__pg_connection__") as any
      const signups = await db("uplift_fraud_signup_signal").whereIn("customer_id", [carl.customerId, dana.customerId])
      expect(signups).toHaveLength(2)
      const salt = getContainer().resolve<any>("upliftFraud").options.hashSalt
      expect(signups.map((s: any) => s.device_hash)).toEqual([hashIdentifier("device-signup-7", salt), hashIdentifier("device-signup-7", salt)])
      // The channel the storefront reported at registration (x-acquisition-source), none for Carl.
      expect(Object.fromEntries(signups.map((s: any) => [s.customer_id, s.source]))).toEqual({ [carl.customerId]: null, [dana.customerId]: "direct" })
      expect(JSON.stringify(signups)).not.toMatch(/device-signup-7|127\.0\.0\.1/)
    })

    it("velocity: repeated orders trigger a rule on customer.orders_last_24h", async () => {
      await createRule({ name: "Too many orders", action: "block", conditions: [{ field: "customer.orders_last_24h", operator: "gte", value: 2 }] })
      const buyer = await shopper(api, store, "fast@uplift.test")
      for (let k = 0; k < 2; k++) {
        const placed = await placeOrder(api, store, buyer)
        expect(placed.status).toBe(200)
        await eventually(async () => (await api.get(`/admin/fraud/assessments?order_id=${placed.data.order.id}`, admin)).data.count, (n) => n === 1)
      }
      const third = await placeOrder(api, store, buyer)
      expect(third.status).toBe(400)
      const [assessment] = await assessmentsOfCart(third.cartId)
      expect(assessment.signals).toMatchObject({ "customer.orders_last_24h": 2, "customer.order_count": 2, "customer.carts_last_1h": 2 })
    })

    it("refuses a first-order discount already redeemed by an account on the same device; stores ip and device hashed; erases on customer deletion", async () => {
      await createPromotionsWorkflow(getContainer()).run({
        input: {
          promotionsData: [
            {
              code: "WELCOME10",
              type: "standard",
              status: "active",
              is_automatic: false,
              application_method: { type: "percentage", target_type: "order", value: 10, currency_code: "usd" },
            } as any,
          ],
        },
      })
      await createRule({ name: "Welcome abuse", action: "block", conditions: [{ field: "linked_account_redeemed_first_order", operator: "eq", value: true }] })
      const ann = await shopper(api, store, "ann.smith+shop@gmail.com", "raw-device-42")
      const first = await placeOrder(api, store, ann, { promoCodes: ["WELCOME10"] })
      expect(first.status).toBe(200)
      await eventually(async () => (await api.get(`/admin/fraud/assessments?order_id=${first.data.order.id}`, admin)).data.count, (n) => n === 1)

      const bob = await shopper(api, store, "bob@uplift.test", "raw-device-42")
      const abuse = await placeOrder(api, store, bob, { promoCodes: ["WELCOME10"] })
      expect(abuse.status).toBe(400)
      const [refused] = await assessmentsOfCart(abuse.cartId)
      expect(refused.signals).toMatchObject({ linked_account_redeemed_first_order: true, accounts_per_device: 2 })
      const bobConfig = { headers: { "x-publishable-api-key": store.publishableKey, ...bob.headers } }
      const { data: withoutCode } = await api.delete(`/store/carts/${abuse.cartId}/promotions`, { ...bobConfig, data: { promo_codes: ["WELCOME10"] } })
      await api.post(`/store/payment-collections/${withoutCode.cart.payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, bobConfig)
      expect((await completeAgain(api, store, bob, abuse.cartId)).status).toBe(200)

      // Same person, gmail dots and +tag: the normalized email links the accounts.
      const annAgain = await shopper(api, store, "annsmith@googlemail.com")
      const third = await placeOrder(api, store, annAgain, { promoCodes: ["WELCOME10"] })
      expect(third.status).toBe(400)

      const db = getContainer().resolve("__pg_connection__") as any
      const signals = await db("uplift_fraud_client_signal").select("*")
      const assessments = await db("uplift_fraud_assessment").select("*")
      const dump = JSON.stringify([signals, assessments])
      for (const raw of ["raw-device-42", "127.0.0.1", "ann.smith+shop@gmail.com", "bob@uplift.test"]) expect(dump).not.toContain(raw)
      expect(signals.find((s: any) => s.cart_id === first.cartId).device_hash).toBe(hashIdentifier("raw-device-42", getContainer().resolve<any>("upliftFraud").options.hashSalt))
      expect(signals.find((s: any) => s.cart_id === first.cartId).ip_hash).toMatch(/^[0-9a-f]{64}$/)

      await api.delete(`/admin/customers/${ann.customerId}`, admin)
      await eventually(async () => (await db("uplift_fraud_assessment").where({ customer_id: ann.customerId })).length, (n) => n === 0)
      expect(await db("uplift_fraud_client_signal").where({ cart_id: first.cartId })).toHaveLength(0)
    })
  },
})
