import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { createCart, createTestStore, eventually, prepareCheckout, startPayment, promotionCodes, storefront, TestStore } from "../helpers/store"
import { welcomePolicy } from "../helpers/policies"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"
import expirePersonalOffers from "../../src/jobs/expire-personal-offers"

jest.setTimeout(240_000)

/** Attacks on the personal offer's lifecycle (issue #14), each through the real Store API and checkout. */

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    const { config: storeConfig, getCart } = storefront(api, () => store)
    const createPolicy = async (overrides: Record<string, unknown> = {}) =>
      (await api.post("/admin/discount-policies", { ...welcomePolicy, ...overrides }, admin)).data.discount_policy
    const complete = (cartId: string, headers: Record<string, string>) =>
      api.post(`/store/carts/${cartId}/complete`, {}, storeConfig(headers)).then((response: any) => response, (error: any) => error.response)
    const offersOf = async (customerId: string) =>
      (await api.get(`/admin/personal-offers?customer_id=${customerId}`, admin)).data.personal_offers
    /** A cart of the shopper that shows the offer, ready to complete. */
    const discountedCart = async (shopper: { headers: Record<string, string> }, email: string, variant = 0) => {
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[variant], quantity: 1 }])
      await eventually(() => getCart(cartId, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      await prepareCheckout(api, store, cartId, shopper.headers, email)
      expect((await getCart(cartId, shopper.headers)).discount_total).toBeGreaterThan(0)
      return cartId
    }
    /** The refused cart loses the discount by itself; paying its new total completes it without one. */
    const checkoutAfterRefusal = async (cartId: string, headers: Record<string, string>) => {
      await eventually(() => getCart(cartId, headers), (c: any) => c.discount_total === 0 && !promotionCodes(c).length)
      await startPayment(api, store, cartId, headers)
      const retried = await complete(cartId, headers)
      expect(retried.data.type).toBe("order")
      // The payment is for the new, undiscounted total, not the amount the cart was first priced at.
      const { data } = await api.get(`/admin/orders/${retried.data.order.id}?fields=total,payment_collections.amount`, admin)
      expect(data.order.payment_collections[0].amount).toBeCloseTo(data.order.total, 6)
      return retried.data.order
    }

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    it("two carts with one offer, completed one after the other, give one discounted order", async () => {
      await createPolicy()
      const email = "two-carts@uplift.test"
      const shopper = await customerHeaders(api, store.publishableKey, email)
      const first = await discountedCart(shopper, email)
      const second = await discountedCart(shopper, email)

      const firstOrder = await complete(first, shopper.headers)
      expect(firstOrder.data.order.discount_total).toBeCloseTo(2, 6)
      // The second cart was priced with the discount and is completed without a change: either its checkout is
      // refused by the claim, or the first order's redemption has already taken the discount (and the stale
      // payment session) off it.
      const refused = await complete(second, shopper.headers)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/can no longer be used on this cart|payment session/i)
      const secondOrder = await checkoutAfterRefusal(second, shopper.headers)
      expect(secondOrder.discount_total).toBe(0)

      const offers = await eventually(() => offersOf(shopper.customerId), (rows: any[]) => rows[0]?.status === "redeemed")
      expect(offers).toHaveLength(1)
      expect(offers[0]).toMatchObject({ order_id: firstOrder.data.order.id, cart_id: first, redeemed_amount: 2 })
    })

    it("two carts with one offer, completed concurrently, give one discounted order", async () => {
      await createPolicy()
      const email = "concurrent@uplift.test"
      const shopper = await customerHeaders(api, store.publishableKey, email)
      const carts = [await discountedCart(shopper, email), await discountedCart(shopper, email, 1), await discountedCart(shopper, email, 2)]

      const results = await Promise.all(carts.map((cartId) => complete(cartId, shopper.headers)))
      const placed = results.filter((result) => result.data.type === "order").map((result) => result.data.order)
      expect(placed).toHaveLength(1)
      expect(placed[0].discount_total).toBeGreaterThan(0)
      const refusedCarts = carts.filter((_, i) => results[i].status === 400)
      expect(refusedCarts).toHaveLength(2)
      for (const result of results.filter((r) => r.status === 400)) expect(result.data.message).toMatch(/can no longer be used/)
      for (const cartId of refusedCarts) {
        expect((await checkoutAfterRefusal(cartId, shopper.headers)).discount_total).toBe(0)
      }
      const offers = await eventually(() => offersOf(shopper.customerId), (rows: any[]) => rows[0]?.status === "redeemed")
      expect(offers).toHaveLength(1)
      expect(offers[0].order_id).toBe(placed[0].id)
    })

    it("gives the offer back when a checkout fails after claiming it", async () => {
      await createPolicy()
      const email = "retry@uplift.test"
      const shopper = await customerHeaders(api, store.publishableKey, email)
      // No shipping method: completion fails after the validate hook has claimed the offer.
      const unshippable = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await eventually(() => getCart(unshippable, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      await api.post(`/store/carts/${unshippable}`, { email }, storeConfig(shopper.headers))
      await startPayment(api, store, unshippable, shopper.headers)
      const failed = await complete(unshippable, shopper.headers)
      expect(failed.status).toBe(400)
      expect(failed.data.message).toMatch(/shipping method/)
      expect((await offersOf(shopper.customerId))[0]).toMatchObject({ status: "active" })

      const other = await discountedCart(shopper, email, 1)
      const placed = await complete(other, shopper.headers)
      expect(placed.data.order.discount_total).toBeCloseTo(3, 6)
    })

    it("new carts do not re-roll the decision, one after the other or concurrently", async () => {
      // On a 16% margin the model offers nothing, and exploration draws 10% for a quarter of the decisions:
      // a shopper who got nothing would open carts until the draw gives 10%.
      await createPolicy({ strategy: "model", exploration_percent: 50 })
      await getContainer().resolve<any>(Modules.PRODUCT).updateProductVariants(store.variantIds[0], { metadata: { cost: 16.8 } })
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const shoppers = await Promise.all(Array.from({ length: 6 }, (_, i) => customerHeaders(api, store.publishableKey, `reroll-${i}@uplift.test`)))
      const decisionsOf = (customerId: string) => discounts.listOfferDecisions({ customer_id: customerId })
      await Promise.all(
        shoppers.map(async (shopper, i) => {
          const carts = [await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])]
          await eventually(() => decisionsOf(shopper.customerId), (rows: any[]) => rows.length > 0)
          for (let n = 0; n < 3; n++) carts.push(await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }]))
          if (i === 0) {
            carts.push(...(await Promise.all([1, 2, 3].map(() => createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])))))
          }
          await new Promise((resolve) => setTimeout(resolve, 2_000))
          const decisions = await decisionsOf(shopper.customerId)
          expect(decisions).toHaveLength(1)
          const discounted = await Promise.all(carts.map(async (cartId) => (await getCart(cartId, shopper.headers)).discount_total > 0))
          expect(new Set(discounted)).toEqual(new Set([decisions[0].chosen_percent > 0]))
        })
      )
      // A brand-new shopper creating carts all at once also gets exactly one decision.
      const burst = await customerHeaders(api, store.publishableKey, "burst@uplift.test")
      await Promise.all([0, 0, 0, 0].map((variant) => createCart(api, store, burst.headers, [{ variant_id: store.variantIds[variant], quantity: 1 }])))
      await eventually(() => decisionsOf(burst.customerId), (rows: any[]) => rows.length > 0)
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      expect(await decisionsOf(burst.customerId)).toHaveLength(1)
    })

    it("combined with another code, the offer shrinks so that the total stays under the cap", async () => {
      await createPolicy({ ladder: [5, 10, 15], max_discount_percent: 15, stacking: "combine", max_total_discount_percent: 20 })
      await createPromotionsWorkflow(getContainer()).run({
        input: {
          promotionsData: [
            { code: "TENOFF", type: "standard", status: "active", application_method: { type: "percentage", target_type: "order", allocation: "across", value: 10 } },
          ],
        },
      })
      const email = "stacker@uplift.test"
      const shopper = await customerHeaders(api, store.publishableKey, email)
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[2], quantity: 1 }])
      const alone = await eventually(() => getCart(cartId, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-15-OFF"))
      expect(alone.discount_total).toBeCloseTo(6, 6)

      await api.post(`/store/carts/${cartId}/promotions`, { promo_codes: ["TENOFF"] }, storeConfig(shopper.headers))
      const stacked = await getCart(cartId, shopper.headers)
      expect(promotionCodes(stacked)).toEqual(["TENOFF", "YOUR-10-OFF"])
      expect(stacked.discount_total).toBeLessThanOrEqual(0.2 * 40 + 1e-6)

      await prepareCheckout(api, store, cartId, shopper.headers, email)
      const placed = await complete(cartId, shopper.headers)
      expect(placed.data.order.discount_total).toBeGreaterThan(0)
      expect(placed.data.order.discount_total).toBeLessThanOrEqual(0.2 * 40 + 1e-6)
    })

    it("keeps the margin floor for the basket at checkout, not only when the offer was decided", async () => {
      await createPolicy({ min_margin_percent: 30 })
      const email = "margin@uplift.test"
      const shopper = await customerHeaders(api, store.publishableKey, email)
      // A low-margin item added to a discounted cart takes the discount off at once.
      const products = getContainer().resolve<any>(Modules.PRODUCT)
      await products.updateProductVariants(store.variantIds[1], { metadata: { cost: 29 } })
      const mixed = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[2], quantity: 1 }])
      await eventually(() => getCart(mixed, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      await api.post(`/store/carts/${mixed}/line-items`, { variant_id: store.variantIds[1], quantity: 2 }, storeConfig(shopper.headers))
      expect((await getCart(mixed, shopper.headers)).discount_total).toBe(0)

      // A cart priced while the margin held is refused at checkout once the product's cost rose to 19 of 20.
      const cartId = await discountedCart(shopper, email)
      await products.updateProductVariants(store.variantIds[0], { metadata: { cost: 19 } })
      const refused = await complete(cartId, shopper.headers)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/no longer fits this basket/)
      expect((await checkoutAfterRefusal(cartId, shopper.headers)).discount_total).toBe(0)
    })

    it("pause and expiry take the offer off every open cart that holds it, not only the cart it was issued on", async () => {
      const policy = await createPolicy()
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const openCarts = async (shopper: { headers: Record<string, string> }) => {
        const carts: string[] = []
        for (const variant of [0, 1]) {
          const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[variant], quantity: 1 }])
          await eventually(() => getCart(cartId, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
          carts.push(cartId)
        }
        return carts
      }
      const expiring = await customerHeaders(api, store.publishableKey, "expiring@uplift.test")
      const expiringCarts = await openCarts(expiring)
      const [offer] = await offersOf(expiring.customerId)
      await discounts.updatePersonalOffers({ id: offer.id, expires_at: new Date(Date.now() - 1_000) })
      await expirePersonalOffers(getContainer())
      for (const cartId of expiringCarts) expect((await getCart(cartId, expiring.headers)).discount_total).toBe(0)

      // A claim whose checkout died before its compensation is given back by the same job.
      const crashed = await customerHeaders(api, store.publishableKey, "crashed@uplift.test")
      const [crashedCart] = await openCarts(crashed)
      const [claimed] = await offersOf(crashed.customerId)
      await discounts.claimOffer(claimed.id, crashedCart)
      await discounts.updatePersonalOffers({ id: claimed.id, claimed_at: new Date(Date.now() - 20 * 60_000) })
      await expirePersonalOffers(getContainer())
      expect((await offersOf(crashed.customerId))[0]).toMatchObject({ status: "active", cart_id: crashedCart })

      const pausing = await customerHeaders(api, store.publishableKey, "pausing@uplift.test")
      const pausingCarts = await openCarts(pausing)
      await api.post(`/admin/discount-policies/${policy.id}`, { status: "paused" }, admin)
      for (const cartId of pausingCarts) expect((await getCart(cartId, pausing.headers)).discount_total).toBe(0)
    })
  },
})
