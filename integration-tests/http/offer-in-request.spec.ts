import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { checkout, createTestStore, eventually, promotionCodes, storefront, TestStore } from "../helpers/store"
import { welcomePolicy } from "../helpers/policies"
import { Modules } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"

jest.setTimeout(240_000)

/**
 * Issue #15: the storefront shows the cart its own request returned, so the personal discount must be in
 * that response (add to cart, cart creation with items, login transfer), not only in a later read.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    const { config } = storefront(api, () => store)
    const createPolicy = async (overrides: Record<string, unknown> = {}) =>
      (await api.post("/admin/discount-policies", { ...welcomePolicy, ...overrides }, admin)).data.discount_policy
    const newCart = async (headers: Record<string, string>, items?: { variant_id: string; quantity: number }[]) =>
      (await api.post("/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId, ...(items ? { items } : {}) }, config(headers))).data.cart
    const addItem = async (cartId: string, headers: Record<string, string>, variantId = store.variantIds[0]) =>
      (await api.post(`/store/carts/${cartId}/line-items`, { variant_id: variantId, quantity: 1 }, config(headers))).data.cart
    const expectPersonalDiscount = (cart: any, discount: number) => {
      expect(promotionCodes(cart)).toEqual(["YOUR-10-OFF"])
      expect(cart.discount_total).toBeCloseTo(discount, 6)
      expect(cart.total).toBeCloseTo(cart.item_subtotal - discount, 6)
    }

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    it("puts the personal discount in the add-to-cart response itself, labelled as the shopper's own", async () => {
      const policy = await createPolicy()
      const shopper = await customerHeaders(api, store.publishableKey, "in-request@uplift.test")
      const cart = await newCart(shopper.headers)
      expect(cart.discount_total).toBe(0)
      // An empty cart has nothing to discount: the decision waits for its first item.
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const decisions = () => discounts.listOfferDecisions({ customer_id: shopper.customerId, policy_id: policy.id })
      expect(await decisions()).toHaveLength(0)

      expectPersonalDiscount(await addItem(cart.id, shopper.headers), 2)
      expect(await decisions()).toHaveLength(1)

      const { data } = await api.get("/admin/promotions", { ...admin, params: { code: "YOUR-10-OFF", fields: "code,campaign.name" } })
      expect(data.promotions).toHaveLength(1)
      expect(data.promotions[0].campaign.name).toBe("Your personal discount")
    })

    it("renames a store's tier promotion from before (UPLIFT-10) instead of doubling the discount", async () => {
      const promotions = getContainer().resolve(Modules.PROMOTION)
      await promotions.createPromotions([
        {
          code: "UPLIFT-10",
          type: "standard",
          status: "active",
          is_automatic: true,
          application_method: { type: "percentage", target_type: "order", allocation: "across", value: 10 },
          rules: [{ attribute: "uplift_offer", operator: "eq", values: ["10"] }],
        },
      ])
      await createPolicy()
      const tiers = await promotions.listPromotions({ code: ["UPLIFT-10", "YOUR-10-OFF"] }, { select: ["code"] })
      expect(tiers.map((promotion) => promotion.code)).toEqual(["YOUR-10-OFF"])
      const shopper = await customerHeaders(api, store.publishableKey, "legacy@uplift.test")
      expectPersonalDiscount(await newCart(shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }]), 2)
    })

    it("tells the admin which personal discount an order redeemed", async () => {
      const policy = await createPolicy()
      const shopper = await customerHeaders(api, store.publishableKey, "redeemer@uplift.test")
      const cart = await newCart(shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      expectPersonalDiscount(cart, 2)
      const { order } = await checkout(api, store, cart.id, shopper.headers, "redeemer@uplift.test")
      expect(order.discount_total).toBeCloseTo(2, 6)
      const { personal_offers } = await eventually(
        async () => (await api.get(`/admin/personal-offers?order_id=${order.id}&status=redeemed`, admin)).data,
        (data: any) => data.personal_offers.length === 1
      )
      expect(personal_offers[0]).toMatchObject({ policy_id: policy.id, discount_percent: 10, redeemed_amount: 2, promotion_code: "YOUR-10-OFF" })
      const { data: open } = await api.get(`/admin/personal-offers?customer_id=${shopper.customerId}&status=active`, admin)
      expect(open.personal_offers).toHaveLength(0)
    })

    it("gives nothing in the response to a shopper in the policy's holdout, or to a guest", async () => {
      const policy = await createPolicy()
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      await discounts.updateDiscountPolicies({ id: policy.id, holdout_percent: 100 })
      const held = await customerHeaders(api, store.publishableKey, "held@uplift.test")
      const heldCart = await addItem((await newCart(held.headers)).id, held.headers)
      expect(heldCart.discount_total).toBe(0)
      expect(promotionCodes(heldCart)).toEqual([])
      const decisions = await discounts.listOfferDecisions({ customer_id: held.customerId })
      expect(decisions.map((decision: any) => [decision.group, decision.chosen_percent])).toEqual([["holdout", 0]])

      await discounts.updateDiscountPolicies({ id: policy.id, holdout_percent: 0 })
      const guestCart = await addItem((await newCart({})).id, {})
      expect(guestCart.discount_total).toBe(0)
      expect(await discounts.listOfferDecisions({ cart_id: guestCart.id })).toHaveLength(0)
    })

    it("puts it in the response of a cart created with items and of the login transfer", async () => {
      await createPolicy()
      const shopper = await customerHeaders(api, store.publishableKey, "created@uplift.test")
      expectPersonalDiscount(await newCart(shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }]), 2)

      const guestCart = await newCart({}, [{ variant_id: store.variantIds[0], quantity: 2 }])
      expect(guestCart.discount_total).toBe(0)
      const returning = await customerHeaders(api, store.publishableKey, "transfer@uplift.test")
      const { data } = await api.post(`/store/carts/${guestCart.id}/customer`, {}, config(returning.headers))
      expectPersonalDiscount(data.cart, 4)
    })

    it("shows no discount in the response of a shopper whose offer the budget refuses", async () => {
      // $2 a day covers one 10% offer on a $20 item: the second shopper's draw gives 10%, the claim refuses it.
      const policy = await createPolicy({ budget: { amount: 2, currency_code: "usd", period: "day" } })
      const first = await customerHeaders(api, store.publishableKey, "budget-first@uplift.test")
      const second = await customerHeaders(api, store.publishableKey, "budget-second@uplift.test")
      expectPersonalDiscount(await addItem((await newCart(first.headers)).id, first.headers), 2)
      const refused = await addItem((await newCart(second.headers)).id, second.headers)
      expect(promotionCodes(refused)).toEqual([])
      expect(refused.discount_total).toBe(0)
      expect(refused.total).toBeCloseTo(refused.item_subtotal, 6)
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const [decision] = await discounts.listOfferDecisions({ customer_id: second.customerId, policy_id: policy.id })
      expect(decision).toMatchObject({ group: "fixed", chosen_percent: 0 })
      expect(await discounts.listPersonalOffers({ customer_id: second.customerId })).toEqual([])
    })

    it("logs one decision per customer and policy under parallel updates of four carts, and every response shows the winner's offer", async () => {
      // Exploration draws 0%, 5% or 10% at random: two decisions would likely disagree.
      const policy = await createPolicy({ strategy: "model", ladder: [5, 10] })
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      await discounts.updateDiscountPolicies({ id: policy.id, exploration_percent: 100 })
      const shopper = await customerHeaders(api, store.publishableKey, "racing@uplift.test")
      const carts = [await newCart(shopper.headers), await newCart(shopper.headers), await newCart(shopper.headers), await newCart(shopper.headers)]
      const adds = Array.from({ length: 8 }, (_, k) =>
        api
          .post(`/store/carts/${carts[k % 4].id}/line-items`, { variant_id: store.variantIds[k % 3], quantity: 1 }, config(shopper.headers))
          .then((response) => response.data.cart)
          .catch((error: any) => ({ failed: error.response?.status ?? error.message }))
      )
      const responses = await Promise.all(adds)
      const decisions = await discounts.listOfferDecisions({ customer_id: shopper.customerId, policy_id: policy.id })
      expect(decisions).toHaveLength(1)
      const drawn = decisions[0].chosen_percent
      const offers = await discounts.listPersonalOffers({ customer_id: shopper.customerId })
      expect(offers.map((offer: any) => offer.discount_percent)).toEqual(drawn > 0 ? [drawn] : [])
      const answered = responses.filter((cart: any) => !cart.failed)
      // Medusa's cart lock may turn some parallel adds of one cart away; each cart got through at least once.
      // The losers of the race drew their own levels: their responses must still show the winner's.
      expect(new Set(answered.map((cart: any) => cart.id)).size).toBe(4)
      for (const cart of answered) expect(promotionCodes(cart)).toEqual(drawn > 0 ? [`YOUR-${drawn}-OFF`] : [])
    })
  },
})
