import knex from "knex"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { checkout, createCart, createTestStore, eventually, TestStore } from "../helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { hashIdentifier } from "../../src/lib/hashing"
import { CartReader, readCartsFromTables, readCartsThroughQuery } from "../../src/ingestion/cart-reads"
import { cartInteractions, CartSnapshot } from "../../src/ingestion/normalize"
import { eventsInHand } from "../../src/ingestion/events-in-hand"

jest.setTimeout(120_000)

// The runner reads medusa-config before applying its `env` option, so the Redis setup is set here.
process.env.REDIS_URL = process.env.UPLIFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/9"
process.env.UPLIFT_QUEUE_PREFIX = `{uplift-test-${process.pid}}`

/** The order of cartInteractions' dedupe keys: cart, customer, variant, quantity. */
const recordedKey = (row: { cart_id: string; customer_id: string | null; variant_id: string; quantity: number }) =>
  `cart:${row.cart_id}:${row.customer_id ?? "guest"}:${row.variant_id}:${row.quantity}`

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    afterAll(() => {
      delete process.env.REDIS_URL
      delete process.env.UPLIFT_QUEUE_PREFIX
    })

    let store: TestStore
    let admin: { headers: Record<string, string> }

    const interactions = (filter: Record<string, unknown>) =>
      getContainer().resolve<any>(UPLIFT_MODULE).listInteractions(filter, { take: 1000 })

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    it("serves its admin status only to admins, running BullMQ on Redis", async () => {
      const denied = await api.get("/admin/uplift/status").catch((error: any) => error.response)
      expect(denied.status).toBe(401)
      const { data } = await api.get("/admin/uplift/status", admin)
      expect(data.uplift).toMatchObject({ queue_mode: "bullmq", worker_mode: "shared", execution_providers: ["cuda", "cpu"] })
    })

    it("sizes its ingestion batches to the events Medusa's Redis event bus runs at once", () => {
      // medusa-config.ts: workerOptions.concurrency = EVENT_BUS_CONCURRENCY, default 8. Read from the real event
      // bus's worker: a Medusa that moves it would leave every batch waiting its linger again.
      expect(eventsInHand(getContainer())).toBe(Number(process.env.EVENT_BUS_CONCURRENCY ?? 8))
    })

    it("records cart contents and the placed order as interactions of the customer, once per event", async () => {
      const shopper = await customerHeaders(api, store.publishableKey, "ingest@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [
        { variant_id: store.variantIds[0], quantity: 2 },
        { variant_id: store.variantIds[1], quantity: 1 },
      ])
      const cartRows = await eventually(
        () => interactions({ cart_id: cartId, kind: "cart_item" }),
        (rows: any[]) => rows.length >= 2
      )
      expect(cartRows.find((row: any) => row.variant_id === store.variantIds[0])).toMatchObject({
        customer_id: shopper.customerId,
        product_id: store.productIds[0],
        quantity: 2,
        value: 40,
      })

      const completion = await checkout(api, store, cartId, shopper.headers, "ingest@uplift.test")
      const orderId = completion.order.id
      const purchases = await eventually(
        () => interactions({ order_id: orderId, kind: "purchase" }),
        (rows: any[]) => rows.length === 2
      )
      expect(purchases.map((row: any) => row.customer_id)).toEqual([shopper.customerId, shopper.customerId])
      expect(purchases.map((row: any) => row.quantity).sort()).toEqual([1, 2])
      expect(purchases.reduce((sum: number, row: any) => sum + row.value, 0)).toBe(70)

      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      await eventBus.emit([
        { name: "order.placed", data: { id: orderId } },
        { name: "order.placed", data: { id: orderId } },
      ])
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      expect(await interactions({ order_id: orderId, kind: "purchase" })).toHaveLength(2)

      await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)
      await eventually(
        () => interactions({ order_id: orderId, kind: "cancel" }),
        (rows: any[]) => rows.length === 2
      )
    })

    it("reads a batch's carts from the cart tables as the query graph reads them, and through the query graph where the tables are not there", async () => {
      const container = getContainer()
      const cartModule = container.resolve(Modules.CART)
      const line = (i: number, unit_price: number, quantity: number) => ({
        title: `line ${i}`, quantity, unit_price, variant_id: store.variantIds[i], product_id: store.productIds[i],
      })
      const [customerCart, guestCart, emptyCart, deletedCart] = await cartModule.createCarts([
        { currency_code: "usd", region_id: store.regionId, customer_id: "cus_reads", items: [line(0, 19.99, 3), line(1, 20, 1)] },
        { currency_code: "eur", region_id: store.regionId, items: [line(1, 7.5, 2)] },
        { currency_code: "usd", region_id: store.regionId, customer_id: "cus_reads" },
        { currency_code: "usd", region_id: store.regionId, customer_id: "cus_reads", items: [line(0, 20, 1)] },
      ])
      const removed = (await cartModule.addLineItems([{ ...line(1, 5, 4), cart_id: customerCart.id }]))[0]
      await cartModule.softDeleteLineItems([removed.id])
      await cartModule.softDeleteCarts([deletedCart.id])
      const ids = [customerCart.id, guestCart.id, emptyCart.id, deletedCart.id, "cart_unknown"]
      const at = new Date(0)
      const recorded = (carts: Map<string, CartSnapshot>) =>
        ids.flatMap((id) => (carts.has(id) ? cartInteractions(carts.get(id)!, at) : [])).sort((a, b) => a.dedupe_key.localeCompare(b.dedupe_key))

      const fromTables = recorded(await readCartsFromTables(container.resolve(ContainerRegistrationKeys.PG_CONNECTION), ids))
      expect(fromTables).toEqual(recorded(await readCartsThroughQuery(container, ids)))
      expect(fromTables.map(({ cart_id, customer_id, variant_id, quantity, value, currency_code }) => ({ cart_id, customer_id, variant_id, quantity, value, currency_code }))).toEqual(
        [
          { cart_id: customerCart.id, customer_id: "cus_reads", variant_id: store.variantIds[0], quantity: 3, value: 19.99 * 3, currency_code: "usd" },
          { cart_id: customerCart.id, customer_id: "cus_reads", variant_id: store.variantIds[1], quantity: 1, value: 20, currency_code: "usd" },
          { cart_id: guestCart.id, customer_id: null, variant_id: store.variantIds[1], quantity: 2, value: 15, currency_code: "eur" },
        ].sort((a, b) => recordedKey(a).localeCompare(recordedKey(b)))
      )

      // A database without Medusa's cart tables (a cart module in a database of its own): the query graph reads them.
      const elsewhere = knex({ client: "pg", connection: { host: process.env.DB_HOST, user: process.env.DB_USERNAME, password: process.env.DB_PASSWORD ?? "", database: "postgres" } })
      try {
        const warnings: string[] = []
        const reader = new CartReader((message) => warnings.push(message))
        const separate = { resolve: (key: string) => (key === ContainerRegistrationKeys.PG_CONNECTION ? elsewhere : container.resolve(key)) } as MedusaContainer
        expect(recorded(await reader.read(separate, ids, "tables"))).toEqual(fromTables)
        expect(recorded(await reader.read(separate, ids, "tables"))).toEqual(fromTables)
        expect(warnings).toHaveLength(1)
        expect(warnings[0]).toContain("read through the query graph")
      } finally {
        await elsewhere.destroy()
      }
    })

    it("records a received return as returns of its lines, and an event naming no return as nothing", async () => {
      const shopper = await customerHeaders(api, store.publishableKey, "returns@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [
        { variant_id: store.variantIds[0], quantity: 2 },
        { variant_id: store.variantIds[1], quantity: 1 },
      ])
      const { order } = await checkout(api, store, cartId, shopper.headers, "returns@uplift.test")
      await eventually(
        () => interactions({ order_id: order.id, kind: "purchase" }),
        (rows: any[]) => rows.length === 2
      )
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      const kinds = async () => (await interactions({ order_id: order.id })).map((row: any) => row.kind).sort()

      // An event without the return's id names no return: nothing is recorded, least of all the whole order.
      await eventBus.emit({ name: "order.return_received", data: { order_id: order.id } })
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      expect(await kinds()).toEqual(["purchase", "purchase"])

      const { data } = await api.get(`/admin/orders/${order.id}?fields=+items.id,+items.variant_id`, admin)
      const line = data.order.items.find((item: any) => item.variant_id === store.variantIds[0])
      const orders = getContainer().resolve<any>(Modules.ORDER)
      await orders.registerFulfillment({ order_id: order.id, items: [{ id: line.id, quantity: 2 }] })
      const received = await orders.createReturn({ order_id: order.id, items: [{ id: line.id, quantity: 1 }] })
      await eventBus.emit({ name: "order.return_received", data: { order_id: order.id, return_id: received.id } })
      const returns = await eventually(
        () => interactions({ order_id: order.id, kind: "return" }),
        (rows: any[]) => rows.length === 1
      )
      expect(returns[0]).toMatchObject({ customer_id: shopper.customerId, variant_id: store.variantIds[0], quantity: 1, value: 20 })
      expect(await kinds()).toEqual(["purchase", "purchase", "return"])
    })

    it("records captures and refunds of an order", async () => {
      const shopper = await customerHeaders(api, store.publishableKey, "money@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 2 }])
      const { order } = await checkout(api, store, cartId, shopper.headers, "money@uplift.test")
      const { data } = await api.get(`/admin/orders/${order.id}?fields=+payment_collections.payments.id,+items.id`, admin)
      const paymentId = data.order.payment_collections[0].payments[0].id
      await api.post(`/admin/payments/${paymentId}/capture`, {}, admin)
      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 5 }, admin)
      const money = await eventually(
        () => interactions({ order_id: order.id, kind: ["payment_captured", "payment_refunded"] }),
        (rows: any[]) => rows.length === 2
      )
      expect(Object.fromEntries(money.map((row: any) => [row.kind, row.value]))).toEqual({ payment_captured: 45, payment_refunded: 5 })
      expect(money.every((row: any) => row.customer_id === shopper.customerId)).toBe(true)

    })

    it("keeps a hashed profile and erases the customer's data when the customer is deleted", async () => {
      const shopper = await customerHeaders(api, store.publishableKey, "Erase.Me@uplift.test")
      await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      const profile = await eventually(
        () => uplift.listCustomerProfiles({ customer_id: shopper.customerId }),
        (rows: any[]) => rows.length === 1
      )
      expect(profile[0].email_hash).toBe(hashIdentifier("erase.me@uplift.test", uplift.options.hashSalt))
      expect(JSON.stringify(profile[0])).not.toContain("Erase.Me")
      await eventually(
        () => interactions({ customer_id: shopper.customerId }),
        (rows: any[]) => rows.length === 1
      )

      await api.delete(`/admin/customers/${shopper.customerId}`, admin)
      await eventually(
        async () => [
          ...(await interactions({ customer_id: shopper.customerId })),
          ...(await uplift.listCustomerProfiles({ customer_id: shopper.customerId })),
        ],
        (rows: any[]) => rows.length === 0
      )
    })
  },
})
