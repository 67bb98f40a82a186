import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { checkout, createCart, createTestStore, eventually, promotionCodes, storefront, TestStore } from "../helpers/store"
import { welcomePolicy } from "../helpers/policies"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { RECOMMENDATIONS_MODULE } from "../../src/modules/recommendations"
import { createPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import expirePersonalOffers from "../../src/jobs/expire-personal-offers"
import abandonedCartOffers from "../../src/jobs/abandoned-cart-offers"
import { issuePersonalOfferWorkflow } from "../../src/workflows/discounts/issue-personal-offer"

jest.setTimeout(240_000)


medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    const { config: storeConfig, getCart } = storefront(api, () => store)
    const createPolicy = async (overrides: Record<string, unknown> = {}) =>
      (await api.post("/admin/discount-policies", { ...welcomePolicy, ...overrides }, admin)).data.discount_policy

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    it("rejects bad policy bodies with a 400 naming the field", async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ ...welcomePolicy, ladder: [10, 150] }, /ladder/],
        [{ ...welcomePolicy, status: "live" }, /status/],
        [{ ...welcomePolicy, rounds: ["win_back"] }, /win_back_after_days/],
        [{ ...welcomePolicy, ladder: [20] }, /ladder/],
        [{ ...welcomePolicy, budget: { amount: -1, currency_code: "usd", period: "day" } }, /budget/],
        [{ ...welcomePolicy, holdout_percent: "ten" }, /holdout_percent/],
        [{ ...welcomePolicy, surprise: true }, /surprise/],
        [{ ...welcomePolicy, name: undefined }, /name/],
      ]
      for (const [body, field] of cases) {
        const response = await api.post("/admin/discount-policies", body, admin).catch((error: any) => error.response)
        expect(response.status).toBe(400)
        expect(response.data.message).toMatch(field)
      }
      const { data } = await api.get("/admin/discount-policies", admin)
      expect(data.discount_policies).toHaveLength(0)
      const unauthenticated = await api.get("/admin/discount-policies").catch((error: any) => error.response)
      expect(unauthenticated.status).toBe(401)
    })

    it("puts the offer on the cart, redeems it once, and never lets another customer use it", async () => {
      const policy = await createPolicy()
      const shopper = await customerHeaders(api, store.publishableKey, "welcome@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const cart = await eventually(() => getCart(cartId, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      expect(cart.discount_total).toBeCloseTo(2, 6)

      const { data: mine } = await api.get("/store/customers/me/offers", storeConfig(shopper.headers))
      expect(mine.offers).toHaveLength(1)
      expect(mine.offers[0]).toMatchObject({ discount_percent: 10 })
      expect(mine.offers[0].reason).toMatch(/10%/)
      const anonymous = await api.get("/store/customers/me/offers", storeConfig({})).catch((error: any) => error.response)
      expect(anonymous.status).toBe(401)

      const other = await customerHeaders(api, store.publishableKey, "other@uplift.test")
      const otherCart = await createCart(api, store, other.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      await discounts.revokeOffers({ customer_id: other.customerId }, "test: only the first shopper holds an offer")
      await api.post(`/store/carts/${otherCart}/promotions`, { promo_codes: ["YOUR-10-OFF"] }, storeConfig(other.headers)).catch((error: any) => error.response)
      const otherState = await getCart(otherCart, other.headers)
      expect(otherState.discount_total).toBe(0)
      expect((await api.get("/store/customers/me/offers", storeConfig(other.headers))).data.offers).toHaveLength(0)

      const completion = await checkout(api, store, cartId, shopper.headers, "welcome@uplift.test")
      expect(completion.order.discount_total).toBeCloseTo(2, 6)
      const redeemed = await eventually(
        () => discounts.listPersonalOffers({ customer_id: shopper.customerId, status: "redeemed" }),
        (rows: any[]) => rows.length === 1
      )
      expect(redeemed[0]).toMatchObject({ order_id: completion.order.id, redeemed_amount: 2, policy_id: policy.id })

      const secondCart = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[1], quantity: 1 }])
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      expect((await getCart(secondCart, shopper.headers)).discount_total).toBe(0)

      const { data: offers } = await api.get(`/admin/personal-offers?customer_id=${shopper.customerId}&policy_id=${policy.id}`, admin)
      expect(offers.personal_offers.map((offer: any) => offer.status)).toEqual(["redeemed"])
      const decisions = await discounts.listOfferDecisions({ customer_id: shopper.customerId })
      expect(decisions[0]).toMatchObject({ group: "fixed", chosen_percent: 10, propensity: 1, model_version: "prior-v1", round: "first_order" })
      expect(decisions[0].reasons.join(" ")).toMatch(/cold start/)
    })

    it("follows a guest cart through login, and pause takes the offer off the cart", async () => {
      const policy = await createPolicy()
      const guestCart = await createCart(api, store, {}, [{ variant_id: store.variantIds[0], quantity: 2 }])
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect((await getCart(guestCart, {})).discount_total).toBe(0)

      const shopper = await customerHeaders(api, store.publishableKey, "guest@uplift.test")
      await api.post(`/store/carts/${guestCart}/customer`, {}, storeConfig(shopper.headers))
      const cart = await eventually(() => getCart(guestCart, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      expect(cart.discount_total).toBeCloseTo(4, 6)

      await api.post(`/admin/discount-policies/${policy.id}`, { status: "paused" }, admin)
      const after = await getCart(guestCart, shopper.headers)
      expect(after.discount_total).toBe(0)
      const { data } = await api.get(`/admin/personal-offers?customer_id=${shopper.customerId}`, admin)
      expect(data.personal_offers[0]).toMatchObject({ status: "revoked", revoked_reason: "policy paused" })
    })

    it("gives holdout and shadow customers nothing but logs their decisions", async () => {
      const shadow = await createPolicy({ status: "shadow" })
      const shopper = await customerHeaders(api, store.publishableKey, "shadow@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const [decision] = await eventually(() => discounts.listOfferDecisions({ customer_id: shopper.customerId }), (rows: any[]) => rows.length === 1)
      expect(decision).toMatchObject({ policy_id: shadow.id, shadow: true, chosen_percent: 10 })
      expect((await getCart(cartId, shopper.headers)).discount_total).toBe(0)
      await api.post(`/admin/discount-policies/${shadow.id}`, { status: "paused" }, admin)

      const held = await createPolicy({ name: "Measured" })
      await discounts.updateDiscountPolicies({ id: held.id, holdout_percent: 100 })
      const heldShopper = await customerHeaders(api, store.publishableKey, "holdout@uplift.test")
      const heldCart = await createCart(api, store, heldShopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const [heldDecision] = await eventually(() => discounts.listOfferDecisions({ customer_id: heldShopper.customerId }), (rows: any[]) => rows.length === 1)
      expect(heldDecision).toMatchObject({ group: "holdout", chosen_percent: 0 })
      expect((await getCart(heldCart, heldShopper.headers)).discount_total).toBe(0)
    })

    it("never overspends the budget under 50 parallel checkouts", async () => {
      await createPolicy({ budget: { amount: 21, currency_code: "usd", period: "day" } })
      const shoppers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => customerHeaders(api, store.publishableKey, `budget-${i}@uplift.test`))
      )
      const carts = await Promise.all(shoppers.map((shopper) => createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])))
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      await eventually(() => discounts.listOfferDecisions({}, { take: 100 }), (rows: any[]) => rows.length === 50, 60_000)
      const completions = await Promise.all(
        carts.map((cartId, i) => checkout(api, store, cartId, shoppers[i].headers, `budget-${i}@uplift.test`).catch((error: any) => error.response?.data))
      )
      const orders = completions.filter((completion) => completion?.order)
      expect(orders).toHaveLength(50)
      const discounted = orders.filter((completion) => completion.order.discount_total > 0)
      const spent = discounted.reduce((sum, completion) => sum + completion.order.discount_total, 0)
      expect(discounted.length).toBe(10)
      expect(spent).toBeLessThanOrEqual(21)
    })

    it("steps aside for the shopper's own code when exclusive, and expires after its TTL", async () => {
      await createPolicy()
      await createPromotionsWorkflow(getContainer()).run({
        input: {
          promotionsData: [
            { code: "SAVE5", type: "standard", status: "active", application_method: { type: "fixed", target_type: "order", allocation: "across", value: 5, currency_code: "usd" } },
          ],
        },
      })
      const shopper = await customerHeaders(api, store.publishableKey, "stacking@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[2], quantity: 1 }])
      await eventually(() => getCart(cartId, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      await api.post(`/store/carts/${cartId}/promotions`, { promo_codes: ["SAVE5"] }, storeConfig(shopper.headers))
      const stacked = await getCart(cartId, shopper.headers)
      expect(promotionCodes(stacked)).toEqual(["SAVE5"])
      expect(stacked.discount_total).toBeCloseTo(5, 6)
      await api.delete(`/store/carts/${cartId}/promotions`, { ...storeConfig(shopper.headers), data: { promo_codes: ["SAVE5"] } })
      expect(promotionCodes(await getCart(cartId, shopper.headers))).toEqual(["YOUR-10-OFF"])

      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const otherShopper = await customerHeaders(api, store.publishableKey, "own-code@uplift.test")
      const otherCart = await createCart(api, store, otherShopper.headers, [{ variant_id: store.variantIds[2], quantity: 1 }])
      await eventually(() => getCart(otherCart, otherShopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      await api.post(`/store/carts/${otherCart}/promotions`, { promo_codes: ["SAVE5"] }, storeConfig(otherShopper.headers))
      const ownCodeOrder = await checkout(api, store, otherCart, otherShopper.headers, "own-code@uplift.test")
      expect(ownCodeOrder.order.discount_total).toBeCloseTo(5, 6)
      await eventually(
        () => discounts.listPersonalOffers({ customer_id: otherShopper.customerId }),
        (rows: any[]) => rows[0]?.status === "revoked" && rows[0]?.revoked_reason === "customer no longer eligible"
      )

      const [offer] = await discounts.listPersonalOffers({ customer_id: shopper.customerId })
      await discounts.updatePersonalOffers({ id: offer.id, expires_at: new Date(Date.now() - 1_000) })
      await expirePersonalOffers(getContainer())
      expect((await getCart(cartId, shopper.headers)).discount_total).toBe(0)
      expect((await discounts.retrievePersonalOffer(offer.id)).status).toBe("expired")
    })

    it("offers a discount on a cart abandoned longer than the policy's threshold", async () => {
      await createPolicy({ rounds: ["abandoned_cart"], abandoned_after_hours: 2 })
      const shopper = await customerHeaders(api, store.publishableKey, "abandoned@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      expect((await getCart(cartId, shopper.headers)).discount_total).toBe(0)
      const pg = getContainer().resolve<any>("__pg_connection__")
      await pg.raw("update cart set updated_at = now() - interval '3 hours' where id = ?", [cartId])
      expect(await abandonedCartOffers(getContainer())).toBe(1)
      const cart = await getCart(cartId, shopper.headers)
      expect(promotionCodes(cart)).toEqual(["YOUR-10-OFF"])
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      expect((await discounts.listOfferDecisions({ customer_id: shopper.customerId }))[0].round).toBe("abandoned_cart")
    })

    it("takes an abandoned-cart offer and its decision back when the cart cannot take it, and offers again next round", async () => {
      await createPolicy({ rounds: ["abandoned_cart"], abandoned_after_hours: 2 })
      const shopper = await customerHeaders(api, store.publishableKey, "rollback@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const pg = getContainer().resolve<any>("__pg_connection__")
      // The shopper completes the cart while the round decides for it: the last step, putting the offer on
      // the cart, fails (Medusa refuses to change a completed cart) after the decision and offer were written.
      await pg.raw("update cart set completed_at = now() where id = ?", [cartId])
      const { errors } = await issuePersonalOfferWorkflow(getContainer()).run({ input: { cart_id: cartId, trigger: "abandoned_cart" }, throwOnError: false })
      expect(errors.map((error: any) => error.error?.message)).toEqual([expect.stringMatching(/already completed/)])
      expect(await discounts.listOfferDecisions({ customer_id: shopper.customerId })).toHaveLength(0)
      const offers = await discounts.listPersonalOffers({ customer_id: shopper.customerId })
      expect(offers.map((offer: any) => [offer.status, offer.revoked_reason])).toEqual([["revoked", "workflow rolled back"]])

      // Nothing stands in the way of the next round: the cart (open again) gets its offer.
      await pg.raw("update cart set completed_at = null, updated_at = now() - interval '3 hours' where id = ?", [cartId])
      expect(await abandonedCartOffers(getContainer())).toBe(1)
      expect(promotionCodes(await getCart(cartId, shopper.headers))).toEqual(["YOUR-10-OFF"])
      expect((await discounts.listOfferDecisions({ customer_id: shopper.customerId })).map((decision: any) => decision.round)).toEqual(["abandoned_cart"])
      expect(await discounts.listPersonalOffers({ customer_id: shopper.customerId, status: "active" })).toHaveLength(1)
    })

    it("plans an abandoned cart's item offer in the scheduled round, and a rolled-back round leaves no item targets", async () => {
      const itemPolicy = { name: "Items 10%", status: "active", strategy: "fixed", target: "items", ladder: [10], max_discount_percent: 10, min_margin_percent: 10, holdout_percent: 0, exploration_percent: 0 }
      await createPolicy({ ...itemPolicy, rounds: ["abandoned_cart"], abandoned_after_hours: 2 })
      const shopper = await customerHeaders(api, store.publishableKey, "abandoned-items@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const recs = getContainer().resolve<any>(RECOMMENDATIONS_MODULE)
      const pg = getContainer().resolve<any>("__pg_connection__")
      await pg.raw("update cart set completed_at = now() where id = ?", [cartId])
      const { errors } = await issuePersonalOfferWorkflow(getContainer()).run({ input: { cart_id: cartId, trigger: "abandoned_cart" }, throwOnError: false })
      expect(errors).toHaveLength(1)
      const [revoked] = await discounts.listPersonalOffers({ customer_id: shopper.customerId })
      expect(revoked.status).toBe("revoked")
      expect(await recs.itemTargets(revoked.id)).toBeNull()
      expect(await discounts.listOfferDecisions({ customer_id: shopper.customerId })).toHaveLength(0)

      await pg.raw("update cart set completed_at = null, updated_at = now() - interval '3 hours' where id = ?", [cartId])
      expect(await abandonedCartOffers(getContainer())).toBe(1)
      const cart = await getCart(cartId, shopper.headers)
      expect(promotionCodes(cart)).toEqual(["YOUR-10-OFF-ITEMS"])
      expect(cart.discount_total).toBeCloseTo(2, 6)
      const [decision] = await discounts.listOfferDecisions({ customer_id: shopper.customerId })
      expect(decision).toMatchObject({ round: "abandoned_cart", chosen_percent: 10 })
      expect(decision.reasons.join(" ")).toMatch(/Item offer: 10% off/)
      const [offer] = await discounts.listPersonalOffers({ customer_id: shopper.customerId, status: "active" })
      expect(await recs.itemTargets(offer.id)).toContain(store.productIds[0])
    })

    it("wins back a customer whose last order is older than the policy's threshold, and not a recent one", async () => {
      await createPolicy({ rounds: ["win_back"], win_back_after_days: 60 })
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const lapsed = await customerHeaders(api, store.publishableKey, "lapsed@uplift.test")
      const recent = await customerHeaders(api, store.publishableKey, "recent@uplift.test")
      const pastOrder = (customer_id: string, daysAgo: number) => ({
        dedupe_key: `past:${customer_id}`, kind: "purchase", customer_id, order_id: `past_${customer_id}`, product_id: store.productIds[1], quantity: 1, value: 30,
        occurred_at: new Date(Date.now() - daysAgo * 86_400_000),
      })
      await uplift.recordInteractions([pastOrder(lapsed.customerId, 100), pastOrder(recent.customerId, 10)])
      const lapsedCart = await createCart(api, store, lapsed.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await eventually(() => getCart(lapsedCart, lapsed.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      expect((await discounts.listOfferDecisions({ customer_id: lapsed.customerId }))[0].round).toBe("win_back")
      const recentCart = await createCart(api, store, recent.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      expect((await getCart(recentCart, recent.headers)).discount_total).toBe(0)
      expect(await discounts.listOfferDecisions({ customer_id: recent.customerId })).toHaveLength(0)
    })

    it("holds back offers to a region that is ahead of another by more than the fairness gap", async () => {
      const policy = await createPolicy({ fairness: { attribute: "region", max_gap: 0.5 } })
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      await discounts.createOfferDecisions({ policy_id: policy.id, customer_id: "elsewhere", group: "fixed", chosen_percent: 0, propensity: 1, model_version: "prior-v1", fairness_value: "reg_other" })
      const decide = async (email: string) => {
        const shopper = await customerHeaders(api, store.publishableKey, email)
        await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
        const [decision] = await eventually(() => discounts.listOfferDecisions({ customer_id: shopper.customerId }), (rows: any[]) => rows.length === 1)
        return decision
      }
      const first = await decide("fair-1@uplift.test")
      expect(first).toMatchObject({ chosen_percent: 10, fairness_value: store.regionId })
      const second = await decide("fair-2@uplift.test")
      expect(second.chosen_percent).toBe(0)
      expect(second.reasons.join(" ")).toMatch(/Fairness cap/)
    })

    it("does not count a held order's offer as redeemed until the hold is released", async () => {
      await createPolicy()
      await api.post("/admin/fraud/rules", { name: "Hold everything", action: "hold", conditions: [{ field: "order.total", operator: "gte", value: 0 }] }, admin)
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const shopper = await customerHeaders(api, store.publishableKey, "held@uplift.test")
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await eventually(() => getCart(cartId, shopper.headers), (c: any) => promotionCodes(c).includes("YOUR-10-OFF"))
      const { order } = await checkout(api, store, cartId, shopper.headers, "held@uplift.test")
      const [held] = await eventually(() => discounts.listPersonalOffers({ customer_id: shopper.customerId }), (rows: any[]) => rows[0]?.status === "held")
      expect(held).toMatchObject({ order_id: order.id, redeemed_amount: 2 })
      const { data } = await api.get(`/admin/fraud/holds?status=open&order_id=${order.id}`, admin)
      await api.post(`/admin/fraud/holds/${data.holds[0].id}/release`, { note: "called the customer" }, admin)
      await eventually(() => discounts.listPersonalOffers({ customer_id: shopper.customerId }), (rows: any[]) => rows[0]?.status === "redeemed")
    })

    it("gives no offer to a customer that fraud review flagged", async () => {
      await createPolicy()
      const shopper = await customerHeaders(api, store.publishableKey, "flagged@uplift.test")
      await getContainer().resolve<any>("upliftFraud").createFraudLabels({ order_id: "order_past", customer_id: shopper.customerId, label: "fraud", source: "chargeback" })
      const cartId = await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const [decision] = await eventually(() => discounts.listOfferDecisions({ customer_id: shopper.customerId }), (rows: any[]) => rows.length === 1)
      expect(decision).toMatchObject({ group: "ineligible", chosen_percent: 0 })
      expect(decision.reasons[0]).toMatch(/labelled fraud/)
      expect((await getCart(cartId, shopper.headers)).discount_total).toBe(0)
    })

    it("reports treated against holdout as computed by hand", async () => {
      const policy = await createPolicy({ name: "Report fixture" })
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      // Decided 20 days ago: their 14-day windows have closed. One more decided an hour ago is still open.
      const at = new Date(Date.now() - 20 * 86_400_000)
      const pg = getContainer().resolve<any>("__pg_connection__")
      const candidates = [{ percent: 0, expected_value: 0 }, { percent: 10, expected_value: 1 }]
      const decide = async (customer_id: string, group: string, chosen_percent: number, decidedAt = at) => {
        const decision = await discounts.createOfferDecisions({ policy_id: policy.id, customer_id, group, chosen_percent, propensity: 1, model_version: "prior-v1", candidates, reasons: [], margin_percent: 40 })
        await pg.raw("update uplift_offer_decision set created_at = ? where id = ?", [decidedAt, decision.id])
      }
      await decide("c1", "fixed", 10)
      await decide("c2", "fixed", 10)
      await decide("h1", "holdout", 0)
      await decide("h2", "holdout", 0)
      await decide("c-open", "fixed", 10, new Date(Date.now() - 3_600_000))
      const purchase = (customer_id: string, order_id: string, value: number) => ({
        dedupe_key: `fixture:${order_id}`, kind: "purchase", customer_id, order_id, quantity: 1, value, occurred_at: new Date(at.getTime() + 7_200_000),
      })
      await uplift.recordInteractions([purchase("c1", "o1", 100), purchase("h1", "o2", 50)])
      await discounts.createPersonalOffers({ policy_id: policy.id, decision_id: "d", customer_id: "c1", discount_percent: 10, status: "redeemed", reserved_amount: 10, redeemed_amount: 10, expires_at: new Date(), order_id: "o1" })
      const { data } = await api.get(`/admin/discount-policies/${policy.id}/report`, admin)
      // treated profits: 100*0.4-10 = 30, 0 -> 15; holdout: 20, 0 -> 10; incremental 5 per customer, 10 in all
      expect(data.report.treated).toMatchObject({ customers: 2, conversions: 1, discount_cost: 10, profit_per_customer: 15, revenue_per_customer: 45 })
      expect(data.report.holdout).toMatchObject({ customers: 2, conversions: 1, profit_per_customer: 10 })
      expect(data.report.incremental_profit_per_customer.value).toBeCloseTo(5, 6)
      expect(data.report.incremental_profit.value).toBeCloseTo(10, 6)
      // The open-window decision is neither a purchase nor a non-purchase yet.
      expect(data.report.open_windows.customers).toBe(1)
      expect(data.report.funnel).toMatchObject({ decisions: 5, offers_redeemed: 1 })
      const bad = await api.get(`/admin/discount-policies/${policy.id}/report?window_days=zero`, admin).catch((error: any) => error.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/window_days/)
    })
  },
})
