/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { completeOrderWorkflow, createOrderFulfillmentWorkflow, createOrderShipmentWorkflow, processPaymentWorkflow, updateRegionsWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, PaymentActions } from "@medusajs/framework/utils"
import { adminHeaders } from "../helpers/auth"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { createTestStore, eventually, TestStore } from "../helpers/store"
import { orderDetails, placeOrder, responseOf, shopper } from "../helpers/fraud"

jest.setTimeout(240_000)
// medusa-config.ts then registers integration-tests/fixtures/auto-capture-payment, which captures at authorization.
process.env.UPLIFT_TEST_AUTO_CAPTURE_PROVIDER = "true"
const AUTO_CAPTURE = "pp_auto-capture_test"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    const holdOf = (orderId: string) =>
      eventually(
        async () => (await api.get(`/admin/fraud/holds?order_id=${orderId}`, admin)).data.holds[0],
        (hold) => Boolean(hold)
      )
    const holdEverything = () =>
      api.post("/admin/fraud/rules", { name: "Review everything", action: "hold", conditions: [{ field: "order.total", operator: "gte", value: 1 }] }, admin)
    const fulfillmentsOf = async (orderId: string) => {
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["fulfillments.id", "fulfillments.shipped_at", "fulfillments.delivered_at", "status"], filters: { id: orderId } })
      return (data[0] as any).fulfillments as any[]
    }
    const displayIdOf = async (orderId: string) => (await api.get(`/admin/orders/${orderId}?fields=display_id`, admin)).data.order.display_id
    const expectHeld = (response: { status: number; data: any }, displayId: number, holdId?: string) => {
      expect([response.status, response.data]).toEqual([409, expect.objectContaining({ code: "fraud_hold_open", message: expect.stringContaining(`Order #${displayId} is on fraud hold (rule "Review everything" (hold)); release the hold before`) })])
      if (holdId) expect(response.data.hold_id).toBe(holdId)
      expect(response.data.message).not.toMatch(/fhold_|order_/)
    }

    /** Places an order while the fraud module's order.placed handling (linkOrder) fails; returns once it has failed. */
    const placeOrderWhoseLinkingFails = async (email: string) => {
      const fraud = getContainer().resolve("upliftFraud") as any
      const linkOrder = fraud.linkOrder
      let failed!: () => void
      const subscriberFailed = new Promise<void>((resolve) => (failed = resolve))
      fraud.linkOrder = async () => {
        failed()
        throw new Error("order.placed handling failed")
      }
      const placed = await placeOrder(api, store, await shopper(api, store, email))
      await subscriberFailed
      return { placed, fraud, restoreLinkOrder: () => (fraud.linkOrder = linkOrder) }
    }
    const paymentsOf = async (orderId: string) => {
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "order",
        fields: ["payment_status", "payment_collections.payments.id", "payment_collections.payments.captures.amount", "payment_collections.payments.refunds.amount"],
        filters: { id: orderId },
      })
      const order = data[0] as any
      const payments = order.payment_collections.flatMap((c: any) => c.payments)
      const total = (key: string) => payments.flatMap((p: any) => p[key] ?? []).reduce((sum: number, row: any) => sum + Number(row.amount), 0)
      return { payment_status: order.payment_status, captured: total("captures"), refunded: total("refunds") }
    }
    const refundedHoldOf = (orderId: string) => eventually(() => holdOf(orderId), (hold) => hold.audit.some((e: any) => e.action === "capture_refunded"))
    const feed = async () => (await api.get("/admin/notifications?channel=feed&limit=50", admin)).data.notifications.map((n: any) => n.data?.description ?? "")

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
      await updateRegionsWorkflow(getContainer()).run({ input: { selector: { id: store.regionId }, update: { payment_providers: ["pp_system_default", AUTO_CAPTURE] } } })
    })

    it("held orders refuse fulfillment through every route, capture, mark-as-paid and complete; reject still works", async () => {
      await holdEverything()
      const placed = await placeOrder(api, store, await shopper(api, store, "held@uplift.test"))
      const orderId = placed.data.order.id
      const hold = await holdOf(orderId)
      const order = await orderDetails(getContainer(), orderId)
      const displayId = await displayIdOf(orderId)
      const items = [{ id: order.items[0].id, quantity: 1 }]
      const collectionId = (await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["payment_collections.id"], filters: { id: orderId } })).data[0].payment_collections[0].id

      const attempts = [
        () => api.post(`/admin/orders/${orderId}/fulfillments`, { items }, admin),
        () => api.post("/admin/fulfillments", { order_id: orderId, location_id: store.stockLocationId, provider_id: "manual_manual", delivery_address: {}, items: [{ title: "x", sku: "x", quantity: 1, barcode: "x", line_item_id: items[0].id }], labels: [], data: {}, metadata: {} }, admin),
        () => api.post(`/admin/payments/${order.payment_collections[0].payments[0].id}/capture`, {}, admin),
        () => api.post(`/admin/payment-collections/${collectionId}/mark-as-paid`, { order_id: orderId }, admin),
        () => api.post(`/admin/orders/${orderId}/complete`, {}, admin),
      ]
      for (const attempt of attempts) expectHeld(await responseOf(attempt()), displayId, hold.id)

      // Another plugin or a future route running Medusa's workflows directly: the hooks refuse and roll back.
      const viaWorkflow = await createOrderFulfillmentWorkflow(getContainer()).run({ input: { order_id: orderId, items }, throwOnError: false })
      expect(viaWorkflow.errors[0].error).toMatchObject({ code: "fraud_hold_open", message: expect.stringContaining(`Order #${displayId} is on fraud hold`) })
      const completing = await completeOrderWorkflow(getContainer()).run({ input: { orderIds: [orderId] }, throwOnError: false })
      expect(completing.errors[0].error.code).toBe("fraud_hold_open")

      const after = await orderDetails(getContainer(), orderId)
      expect(after.status).toBe("pending")
      expect(after.payment_collections[0].payments[0].captured_at).toBeFalsy()
      expect(await fulfillmentsOf(orderId)).toEqual([])

      const rejected = await api.post(`/admin/fraud/holds/${hold.id}/reject`, { note: "stolen card" }, admin)
      expect(rejected.data.hold.status).toBe("rejected")
      expect((await orderDetails(getContainer(), orderId)).status).toBe("canceled")
    })

    it("a hold opened after fulfillment refuses shipment and mark-as-delivered, by route and by workflow", async () => {
      const placed = await placeOrder(api, store, await shopper(api, store, "late@uplift.test"))
      const orderId = placed.data.order.id
      const order = await orderDetails(getContainer(), orderId)
      const items = [{ id: order.items[0].id, quantity: 1 }]
      const fulfilled = await responseOf(api.post(`/admin/orders/${orderId}/fulfillments`, { items }, admin))
      expect([fulfilled.status, fulfilled.data.message]).toEqual([200, undefined])
      const fulfillmentId = (await fulfillmentsOf(orderId))[0].id
      await eventually(async () => (await api.get(`/admin/fraud/assessments?order_id=${orderId}`, admin)).data.count, (n) => n === 1)
      // A reviewer's late hold (e.g. a chargeback warning) on an order already fulfilled.
      const fraud = getContainer().resolve("upliftFraud") as any
      await fraud.createFraudHolds({ cart_id: placed.cartId, order_id: orderId, status: "open", reason: 'rule "Review everything" (hold)' })
      const displayId = await displayIdOf(orderId)

      expectHeld(await responseOf(api.post(`/admin/orders/${orderId}/fulfillments/${fulfillmentId}/shipments`, { items }, admin)), displayId)
      expectHeld(await responseOf(api.post(`/admin/orders/${orderId}/fulfillments/${fulfillmentId}/mark-as-delivered`, {}, admin)), displayId)
      expectHeld(await responseOf(api.post(`/admin/fulfillments/${fulfillmentId}/shipment`, { labels: [] }, admin)), displayId)
      const viaWorkflow = await createOrderShipmentWorkflow(getContainer()).run({ input: { order_id: orderId, fulfillment_id: fulfillmentId, items }, throwOnError: false })
      expect(viaWorkflow.errors[0].error.code).toBe("fraud_hold_open")
      expect(await fulfillmentsOf(orderId)).toEqual([expect.objectContaining({ id: fulfillmentId, shipped_at: null, delivered_at: null })])
    })

    it("a hold whose order.placed handling failed is listed, guards the order and can be released", async () => {
      await holdEverything()
      const { placed, fraud, restoreLinkOrder } = await placeOrderWhoseLinkingFails("unlinked@uplift.test")
      const orderId = placed.data.order.id
      const payment = (await orderDetails(getContainer(), orderId)).payment_collections[0].payments[0]
      const capture = await responseOf(api.post(`/admin/payments/${payment.id}/capture`, {}, admin))
      expect(capture.status).toBe(409)
      restoreLinkOrder()
      // The rest of order.placed ran all the same: the order's lines joined the shopper's purchase history.
      const purchases = () => getContainer().resolve<any>(UPLIFT_MODULE).listInteractions({ order_id: orderId, kind: "purchase" })
      expect((await eventually(purchases, (rows: any[]) => rows.length > 0)).length).toBeGreaterThan(0)

      const [pending] = await fraud.listFraudHolds({ cart_id: placed.cartId })
      expect(pending).toMatchObject({ status: "open", order_id: null })
      const released = await api.post(`/admin/fraud/holds/${pending.id}/release`, {}, admin)
      expect(released.data.hold).toMatchObject({ status: "released", order_id: orderId })
      expect((await api.post(`/admin/payments/${payment.id}/capture`, {}, admin)).status).toBe(200)
      expect((await holdOf(orderId)).audit.map((e: any) => e.action)).toEqual(["opened", "released"])
    })

    it("an unlinked hold is listed by its order (repaired on listing) and can be rejected", async () => {
      await holdEverything()
      const { placed, restoreLinkOrder } = await placeOrderWhoseLinkingFails("unlinked2@uplift.test")
      restoreLinkOrder()
      const hold = await holdOf(placed.data.order.id)
      expect(hold).toMatchObject({ status: "open", cart_id: placed.cartId })
      expect((await api.post(`/admin/fraud/holds/${hold.id}/reject`, {}, admin)).data.hold.status).toBe("rejected")
      expect((await orderDetails(getContainer(), placed.data.order.id)).status).toBe("canceled")
    })
  
    it("a provider that captures at authorization leaves the held order refunded and still held, with an alert", async () => {
      await holdEverything()
      const placed = await placeOrder(api, store, await shopper(api, store, "autocapture@uplift.test"), { payment: { provider_id: AUTO_CAPTURE } })
      expect(placed.status).toBe(200)
      const orderId = placed.data.order.id
      const hold = await refundedHoldOf(orderId)
      const money = await paymentsOf(orderId)
      expect(money.captured).toBeGreaterThan(0)
      expect(money.refunded).toBe(money.captured)
      expect(hold.status).toBe("open")
      expect(hold.audit.map((e: any) => e.action)).toEqual(["opened", "capture_refunded"])
      const displayId = await displayIdOf(orderId)
      expect(await feed()).toEqual(expect.arrayContaining([expect.stringContaining(`Order #${displayId} was charged`)]))
      // The reviewer can still reject it: the order is canceled and nothing more is refunded.
      expect((await api.post(`/admin/fraud/holds/${hold.id}/reject`, {}, admin)).data.hold.status).toBe("rejected")
      expect((await orderDetails(getContainer(), orderId)).status).toBe("canceled")
      expect(await paymentsOf(orderId)).toMatchObject({ captured: money.captured, refunded: money.captured })
    })

    it("with heldAutoCapture refuse, a held checkout that would capture at once is refused before money moves", async () => {
      await holdEverything()
      const fraud = getContainer().resolve("upliftFraud") as any
      const options = fraud.options
      fraud.options = { ...options, heldAutoCapture: "refuse", autoCaptureProviders: [AUTO_CAPTURE] }
      try {
        const buyer = await shopper(api, store, "refused@uplift.test")
        const refused = await placeOrder(api, store, buyer, { payment: { provider_id: AUTO_CAPTURE } })
        expect([refused.status, refused.data.message]).toEqual([400, expect.stringMatching(/needs a review by the store before payment is taken/)])
        // A shopper asking for automatic capture in the session's data (as Stripe allows) is refused too.
        fraud.options = { ...options, heldAutoCapture: "refuse", autoCaptureProviders: [] }
        const asked = await placeOrder(api, store, buyer, { payment: { provider_id: AUTO_CAPTURE, data: { capture_method: "automatic" } } })
        expect(asked.status).toBe(400)
        const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "payment", fields: ["id"], filters: { provider_id: AUTO_CAPTURE } })
        expect(data).toEqual([])
        // An honest checkout with a provider that only authorizes still completes (and is held).
        expect((await placeOrder(api, store, buyer)).status).toBe(200)
      } finally {
        fraud.options = options
      }
    })

    it("a capture arriving by payment webhook (processPaymentWorkflow) on a held order is refunded and alerted", async () => {
      await holdEverything()
      const placed = await placeOrder(api, store, await shopper(api, store, "webhook@uplift.test"))
      const orderId = placed.data.order.id
      const hold = await holdOf(orderId)
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["total", "payment_collections.payment_sessions.id"], filters: { id: orderId } })
      const order = data[0] as any
      await processPaymentWorkflow(getContainer()).run({
        input: { action: PaymentActions.SUCCESSFUL, data: { session_id: order.payment_collections[0].payment_sessions[0].id, amount: order.total } },
      })
      const after = await refundedHoldOf(orderId)
      const money = await paymentsOf(orderId)
      expect(money.captured).toBeGreaterThan(0)
      expect(money.refunded).toBe(money.captured)
      expect([after.id, after.status]).toEqual([hold.id, "open"])
      expect(after.audit.map((e: any) => e.action)).toContain("capture_refunded")
      expect(await feed()).toEqual(expect.arrayContaining([expect.stringContaining(`Order #${await displayIdOf(orderId)} was charged`)]))
    })
  
    it("a converted draft order is screened like a checkout: a block rule holds it, and fulfillment answers 409", async () => {
      await api.post("/admin/fraud/rules", { name: "Block test domain", action: "block", conditions: [{ field: "email_domain", operator: "eq", value: "blocked.test" }] }, admin)
      const address = { first_name: "Mal", last_name: "Lory", address_1: "1 Main St", city: "Cincinnati", country_code: "us", postal_code: "45202" }
      const { data } = await api.post(
        "/admin/draft-orders",
        { email: "mallory@blocked.test", region_id: store.regionId, sales_channel_id: store.salesChannelId, items: [{ variant_id: store.variantIds[0], quantity: 1 }], shipping_address: address, billing_address: address },
        admin
      )
      const converted = await api.post(`/admin/draft-orders/${data.draft_order.id}/convert-to-order`, {}, admin)
      const orderId = converted.data.order.id
      const hold = await holdOf(orderId)
      expect(hold).toMatchObject({ status: "open", reason: expect.stringMatching(/Block test domain.*held for review/) })
      const [assessment] = (await api.get(`/admin/fraud/assessments?order_id=${orderId}`, admin)).data.assessments
      expect(assessment).toMatchObject({ decision: "hold", score: expect.any(Number) })
      const items = [{ id: (await orderDetails(getContainer(), orderId)).items[0].id, quantity: 1 }]
      const fulfill = await responseOf(api.post(`/admin/orders/${orderId}/fulfillments`, { items }, admin))
      expect([fulfill.status, fulfill.data.hold_id]).toEqual([409, hold.id])
    })
  },
})
