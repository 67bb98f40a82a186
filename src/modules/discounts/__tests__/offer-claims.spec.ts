import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    const policyInput = (name: string) => ({
      name, status: "active" as const, rounds: ["first_order"] as any, ladder: [10] as any, max_discount_percent: 10, per_customer_limit: 1, offer_ttl_hours: 24,
    })
    const issue = async (policy: any, customerId: string, cartId: string) =>
      (await service.issueOffer({ policy, decision_id: "d", customer_id: customerId, cart_id: cartId, discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "test" })).offer!

    it("lets exactly one of 20 carts racing to claim one offer have it, and only that cart use it", async () => {
      const offer = await issue(await service.createDiscountPolicies(policyInput("Welcome")), "cus_1", "cart_issued")
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => service.claimOffer(offer.id, `cart_${i}`)))
      const winners = claims.filter(Boolean)
      expect(winners).toHaveLength(1)
      const winningCart = winners[0]!.cart_id
      expect((await service.findUsableOffer("cus_1", winningCart))?.id).toBe(offer.id)
      expect(await service.findUsableOffer("cus_1", "cart_other")).toBeUndefined()
      expect(await service.findUsableOffer("cus_1")).toBeUndefined()
    })

    it("gives a released claim back to every cart, as it was", async () => {
      const offer = await issue(await service.createDiscountPolicies(policyInput("Welcome")), "cus_1", "cart_issued")
      await service.claimOffer(offer.id, "cart_a")
      await service.releaseClaim(offer.id, "cart_a", "cart_issued")
      expect(await service.retrievePersonalOffer(offer.id)).toMatchObject({ status: "active", cart_id: "cart_issued", claimed_at: null })
      expect((await service.claimOffer(offer.id, "cart_b"))?.cart_id).toBe("cart_b")
    })

    it("redeems only the offer the order's cart claimed, once, however often the event arrives", async () => {
      const claimedOffer = await issue(await service.createDiscountPolicies(policyInput("Welcome")), "cus_1", "cart_a")
      const otherOffer = await issue(await service.createDiscountPolicies(policyInput("Win back")), "cus_1", "cart_b")
      await service.claimOffer(claimedOffer.id, "cart_a")
      const order = { order_id: "order_1", cart_id: "cart_a", customer_id: "cus_1" }
      const deliveries = await Promise.all([1, 2, 3].map(() => service.redeemOffer(order, 2)))
      expect(new Set(deliveries.map((offer) => offer?.id))).toEqual(new Set([claimedOffer.id]))
      expect(await service.retrievePersonalOffer(claimedOffer.id)).toMatchObject({ status: "redeemed", order_id: "order_1", redeemed_amount: 2 })
      expect(await service.retrievePersonalOffer(otherOffer.id)).toMatchObject({ status: "active", order_id: null })
    })

    it("counts a claimed offer against the budget and the per-customer limit", async () => {
      const policy = await service.createDiscountPolicies({ ...policyInput("Tight"), budget_amount: 2, budget_currency_code: "usd", budget_period: "day" })
      const offer = await issue(policy, "cus_1", "cart_a")
      await service.claimOffer(offer.id, "cart_a")
      expect(await service.budgetSpent(policy as any)).toBe(2)
      const again = await service.issueOffer({ policy: policy as any, decision_id: "d2", customer_id: "cus_1", cart_id: "cart_b", discount_percent: 10, reserved_amount: 0, currency_code: "usd", reason: "test" })
      expect(again.refused).toBe("per_customer_limit")
    })
  },
})
