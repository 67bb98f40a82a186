import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    it("lets exactly 10 of 100 parallel offers through a budget that allows 10", async () => {
      const policy = await service.createDiscountPolicies({
        name: "Tight", status: "active", rounds: ["first_order"] as any, ladder: [10] as any, max_discount_percent: 10,
        budget_amount: 20, budget_currency_code: "usd", budget_period: "day", per_customer_limit: 1, offer_ttl_hours: 24,
      })
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          service.issueOffer({
            policy: policy as any, decision_id: `d${i}`, customer_id: `cus_${i}`, cart_id: `cart_${i}`,
            discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "test",
          })
        )
      )
      expect(results.filter((result) => result.offer)).toHaveLength(10)
      expect(results.filter((result) => result.refused === "budget")).toHaveLength(90)
      expect(await service.budgetSpent(policy as any)).toBe(20)
    })

    it("never issues two open offers to one customer, however many requests race", async () => {
      const policy = await service.createDiscountPolicies({
        name: "Once", status: "active", rounds: ["first_order"] as any, ladder: [10] as any, max_discount_percent: 10, per_customer_limit: 1, offer_ttl_hours: 24,
      })
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          service.issueOffer({ policy: policy as any, decision_id: "d", customer_id: "cus_same", cart_id: "cart", discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "test" })
        )
      )
      expect(new Set(results.map((result) => result.offer?.id)).size).toBe(1)
      expect(await service.listPersonalOffers({ customer_id: "cus_same" })).toHaveLength(1)
    })
  },
})
