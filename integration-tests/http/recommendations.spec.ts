import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { checkout, createCart, createTestStore, eventually, TestStore } from "../helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"
import { trainRecommendationModel } from "../../src/recommendations/model-store"
import { recommendationsWarm } from "../../src/recommendations/recommend"

jest.setTimeout(300_000)

const DAY = 86_400_000

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    const config = (headers: Record<string, string> = {}) => ({ headers: { "x-publishable-api-key": store.publishableKey, ...headers } })
    const recsOf = async (headers: Record<string, string>, query = "") =>
      (await api.get(`/store/customers/me/recommendations?limit=10&region_id=${store.regionId}${query}`, config(headers))).data
    const ids = (body: any) => body.recommendations.map((r: any) => r.product_id)

    /** Purchase lines as the seed writes them: `times` separate orders of one product. */
    const purchases = (customerId: string, productId: string, times: number, tag: string) =>
      Array.from({ length: times }, (_, k) => ({
        dedupe_key: `test:${tag}:${customerId}:${productId}:${k}`,
        kind: "purchase" as const,
        source: "seed" as const,
        customer_id: customerId,
        order_id: `order_${tag}_${customerId}_${k}`,
        product_id: productId,
        quantity: 1,
        value: 20,
        occurred_at: new Date(Date.now() - (k + 1) * 3 * DAY),
      }))

    /** A published product with an inventory-managed variant and no stock, and an unpublished one. */
    const hiddenProducts = async () => {
      const { result } = await createProductsWorkflow(getContainer()).run({
        input: {
          products: [
            { title: "Sold out", status: "published" as const, manage: true },
            { title: "Draft", status: "draft" as const, manage: false },
          ].map((p, k) => ({
            title: p.title,
            status: p.status,
            shipping_profile_id: store.shippingProfileId,
            options: [{ title: "Size", values: ["One"] }],
            sales_channels: [{ id: store.salesChannelId }],
            variants: [{ title: "One", sku: `HIDDEN-${k}-${Date.now()}`, manage_inventory: p.manage, options: { Size: "One" }, prices: [{ currency_code: "usd", amount: 50 }] }],
          })),
        },
      })
      return result.map((p) => p.id)
    }

    beforeEach(async () => {
      store = await createTestStore(getContainer(), 6)
    })

    it("ranks a customer's frequent purchases first, labels newcomers cold start, hides unsellable products and other customers", async () => {
      const container = getContainer()
      const uplift = container.resolve<any>(UPLIFT_MODULE)
      const [soldOut, draft] = await hiddenProducts()
      const alice = await customerHeaders(api, store.publishableKey, "alice@uplift.test")
      const bob = await customerHeaders(api, store.publishableKey, "bob@uplift.test")
      const p = store.productIds
      // Background shoppers make p[0] the best seller; the hidden products are bought a lot too.
      const crowd = Array.from({ length: 12 }, (_, k) => `cus_crowd_${k}`)
      await uplift.recordInteractions([
        ...crowd.flatMap((c, k) => [...purchases(c, p[0], 3, "crowd"), ...purchases(c, p[1 + (k % 5)], 2, "crowd2"), ...purchases(c, soldOut, 2, "so"), ...purchases(c, draft, 2, "dr")]),
        ...purchases(alice.customerId, p[2], 5, "a"),
        ...purchases(alice.customerId, p[3], 1, "a2"),
        ...purchases(alice.customerId, soldOut, 4, "a3"),
        ...purchases(alice.customerId, draft, 4, "a4"),
        ...purchases(bob.customerId, p[4], 5, "b"),
      ])

      const unauthenticated = await api.get("/store/customers/me/recommendations", config()).catch((e: any) => e.response)
      expect(unauthenticated.status).toBe(401)
      const spoof = await api.get(`/store/customers/me/recommendations?customer_id=${bob.customerId}`, config(alice.headers)).catch((e: any) => e.response)
      expect(spoof.status).toBe(400)

      const check = async (phase: string) => {
        const mine = await recsOf(alice.headers)
        expect({ phase, first: mine.recommendations[0].product_id, cold: mine.cold_start }).toEqual({ phase, first: p[2], cold: false })
        expect(mine.recommendations[0]).toMatchObject({ reason_code: "often_bought", reason: "You often buy this", price: 40, currency_code: "usd", offer: null })
        expect(ids(mine)).not.toContain(soldOut)
        expect(ids(mine)).not.toContain(draft)
        for (const r of mine.recommendations) expect(r.reason).toEqual(expect.any(String))
        const theirs = await recsOf(bob.headers)
        expect(theirs.recommendations[0].product_id).toBe(p[4])
        expect(ids(mine).indexOf(p[4])).not.toBe(0)
        expect(theirs.recommendations.find((r: any) => r.product_id === p[2])?.reason_code ?? "none").not.toBe("often_bought")

        const newcomer = await customerHeaders(api, store.publishableKey, `new-${phase}@uplift.test`)
        const fresh = await recsOf(newcomer.headers)
        expect(fresh.cold_start).toBe(true)
        expect(fresh.recommendations[0].product_id).toBe(p[0])
        expect(fresh.recommendations[0].reason).toMatch(/^Popular/)
        const guest = (await api.get(`/store/recommendations?limit=10&region_id=${store.regionId}`, config())).data
        expect(guest.cold_start).toBe(true)
        for (const body of [fresh, guest]) {
          expect(ids(body)).not.toContain(soldOut)
          expect(ids(body)).not.toContain(draft)
        }
        const similar = (await api.get(`/store/products/${p[2]}/similar?limit=10`, config())).data
        expect(similar.similar.length).toBeGreaterThan(0)
        expect(similar.similar.map((r: any) => r.product_id)).not.toContain(p[2])
        expect(similar.similar.map((r: any) => r.product_id)).not.toContain(soldOut)
        expect(similar.similar.map((r: any) => r.product_id)).not.toContain(draft)
        return mine
      }

      // Before any model exists: live history and popularity.
      await check("popularity")
      // With a trained model (swapped in by the serving process within seconds).
      const modelId = await trainRecommendationModel(container)
      expect(modelId).toEqual(expect.any(String))
      // The merchant's status page names the active version before this process has loaded it, not "no model".
      const admin = await adminHeaders(api, container)
      const servingRecommendations = async () => (await api.get("/admin/uplift/status", admin)).data.uplift.models.find((model: any) => model.model === "recommendations")
      const [{ version }] = await uplift.listModelVersions({ id: modelId }, { select: ["version"] })
      expect(await servingRecommendations()).toEqual({ model: "recommendations", version, runs_on: "TypeScript, in process (loaded at this process's next recommendation request)" })
      await eventually(() => recsOf(alice.headers), (body: any) => body.model_version === modelId, 20_000)
      const withModel = await check("model")
      expect(withModel.model_version).toBe(modelId)
      expect(await servingRecommendations()).toEqual({ model: "recommendations", version, runs_on: expect.stringMatching(/^TypeScript, in process( \(preparing\))?$/) })
      const draftSimilar = await api.get(`/store/products/${draft}/similar`, config()).catch((e: any) => e.response)
      expect(draftSimilar.status).toBe(404)

      // A new purchase changes the history: the cached list is refreshed.
      await uplift.recordInteractions(purchases(alice.customerId, p[5], 6, "a5"))
      const after = await recsOf(alice.headers)
      expect(after.recommendations.find((r: any) => r.product_id === p[5])?.reason_code).toBe("often_bought")
    })

    it("serves precomputed recommendations that follow a history change written by another process and a newer model", async () => {
      const container = getContainer()
      const uplift = container.resolve<any>(UPLIFT_MODULE)
      const alice = await customerHeaders(api, store.publishableKey, "alice-fresh@uplift.test")
      const p = store.productIds
      const crowd = Array.from({ length: 12 }, (_, k) => `cus_fresh_${k}`)
      await uplift.recordInteractions([
        ...crowd.flatMap((c, k) => [...purchases(c, p[0], 3, "crowd"), ...purchases(c, p[1 + (k % 5)], 2, "crowd2")]),
        ...purchases(alice.customerId, p[2], 5, "a"),
      ])
      const first = await trainRecommendationModel(container)
      await eventually(() => recsOf(alice.headers), (body: any) => body.model_version === first, 20_000)
      // Everything the served model's requests read is precomputed (her ranking among them).
      await recommendationsWarm(getContainer())
      expect(ids(await recsOf(alice.headers))[0]).toBe(p[2])
      // Operators (and the benchmark) see which model this process serves and that it is prepared.
      const admin = await adminHeaders(api, container)
      const { data: status } = await api.get("/admin/uplift/status", admin)
      expect(status.uplift.recommendations).toEqual({ model_version: first, prepared: true })

      // Rows written straight to the table, as another process (a worker) records them: no signal reaches
      // this one, and her next page still reflects them.
      const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await db("uplift_interaction").insert(
        purchases(alice.customerId, p[5], 6, "elsewhere").map((row, k) => ({ ...row, id: `uint_elsewhere_${k}`, variant_id: null, cart_id: null, currency_code: "usd" }))
      )
      const afterPurchase = await recsOf(alice.headers)
      expect(afterPurchase.recommendations.find((r: any) => r.product_id === p[5])?.reason_code).toBe("often_bought")

      // A newer model (trained on that history too) replaces the first once it is prepared.
      const second = await trainRecommendationModel(container)
      expect(second).not.toBe(first)
      const withNewModel = await eventually(() => recsOf(alice.headers), (body: any) => body.model_version === second, 20_000)
      expect(withNewModel.recommendations.find((r: any) => r.product_id === p[5])?.reason_code).toBe("often_bought")
      expect(withNewModel.recommendations.find((r: any) => r.product_id === p[2])?.reason_code).toBe("often_bought")

      // Both are versions in the one model registry; activating the first rolls the storefront back.
      const { data: listed } = await api.get("/admin/ml/models?kind=recommender", admin)
      expect(listed.models.map((m: any) => [m.id, m.kind, m.status])).toEqual([
        [second, "recommender", "active"],
        [first, "recommender", "retired"],
      ])
      const { data: rolledBack } = await api.post(`/admin/ml/models/${first}/activate`, {}, admin)
      expect(rolledBack.model).toMatchObject({ id: first, status: "active" })
      await eventually(() => recsOf(alice.headers), (body: any) => body.model_version === first, 20_000)
    })

    it("puts an item-level offer only on the lines worth it, prices recommendations with it, and reports it", async () => {
      const container = getContainer()
      const admin = await adminHeaders(api, container)
      const products = container.resolve(Modules.PRODUCT)
      // Product 2 sells at 30 with a cost of 27: a 10% margin cannot carry a 10% discount above the 10% floor.
      await products.updateProductVariants(store.variantIds[1], { metadata: { cost: 27 } })
      const { data: created } = await api.post(
        "/admin/discount-policies",
        { name: "Items 10%", status: "active", strategy: "fixed", target: "items", rounds: ["first_order"], ladder: [10], max_discount_percent: 10, min_margin_percent: 10, holdout_percent: 0, exploration_percent: 0 },
        admin
      )
      const policy = created.discount_policy
      expect(policy.target).toBe("items")
      const shopper = await customerHeaders(api, store.publishableKey, "items@uplift.test")
      // Both lines at once: the offer is decided on this cart (a refresh racing a second add-to-cart can
      // double an adjustment until the next cart change, for order and item offers alike).
      const { data: opened } = await api.post(
        "/store/carts",
        { region_id: store.regionId, sales_channel_id: store.salesChannelId, items: [0, 1].map((k) => ({ variant_id: store.variantIds[k], quantity: 1 })) },
        config(shopper.headers)
      )
      const cartId = opened.cart.id
      const cart = await eventually(
        async () => (await api.get(`/store/carts/${cartId}`, config(shopper.headers))).data.cart,
        (c: any) => (c.promotions ?? []).some((pr: any) => pr.code === "YOUR-10-OFF-ITEMS")
      )
      const line = (variantId: string) => cart.items.find((item: any) => item.variant_id === variantId)
      expect(line(store.variantIds[0]).adjustments.map((a: any) => [a.code, a.amount])).toEqual([["YOUR-10-OFF-ITEMS", 2]])
      expect(line(store.variantIds[1]).adjustments ?? []).toHaveLength(0)
      expect(cart.discount_total).toBeCloseTo(2, 6)
      const discounts = container.resolve<any>(DISCOUNTS_MODULE)
      const [decision] = await discounts.listOfferDecisions({ customer_id: shopper.customerId })
      expect(decision).toMatchObject({ policy_id: policy.id, chosen_percent: 10, group: "fixed" })
      expect(decision.reasons.join(" ")).toMatch(/Item offer: 10% off/)

      // Recommendations show this customer's price on the targeted products.
      const recs = await recsOf(shopper.headers, `&cart_id=${cartId}`)
      expect(ids(recs)).not.toContain(store.productIds[0])
      const offered = recs.recommendations.filter((r: any) => r.offer)
      expect(offered.length).toBeGreaterThan(0)
      for (const r of offered) expect(r.offer_price).toBeCloseTo(r.price * 0.9, 6)
      expect(recs.recommendations.find((r: any) => r.product_id === store.productIds[1])?.offer ?? null).toBeNull()
      // Someone else's cart id is not theirs to read.
      const other = await customerHeaders(api, store.publishableKey, "other-items@uplift.test")
      const foreign = await api.get(`/store/customers/me/recommendations?cart_id=${cartId}`, config(other.headers)).catch((e: any) => e.response)
      expect(foreign.status).toBe(404)

      const completion = await checkout(api, store, cartId, shopper.headers, "items@uplift.test")
      expect(completion.order.discount_total).toBeCloseTo(2, 6)
      await eventually(() => discounts.listPersonalOffers({ customer_id: shopper.customerId, status: "redeemed" }), (rows: any[]) => rows.length === 1)
      // The decision's attribution window is still open: the report counts it apart, as neither a purchase nor not.
      const open = (await api.get(`/admin/discount-policies/${policy.id}/report`, admin)).data.report
      expect(open.open_windows.customers).toBe(1)
      expect(open.treated.customers).toBe(0)
      // Three weeks later (the decision and the order moved back together), the window has closed.
      const db = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await db.raw("update uplift_offer_decision set created_at = created_at - interval '21 days' where customer_id = ?", [shopper.customerId])
      await db.raw("update uplift_interaction set occurred_at = occurred_at - interval '21 days' where customer_id = ?", [shopper.customerId])
      const { data } = await api.get(`/admin/discount-policies/${policy.id}/report`, admin)
      expect(data.report.open_windows.customers).toBe(0)
      expect(data.report.treated).toMatchObject({ customers: 1, conversions: 1, discount_cost: 2 })
      expect(data.report.funnel).toMatchObject({ decisions: 1, offers_redeemed: 1 })
    })
  },
})
