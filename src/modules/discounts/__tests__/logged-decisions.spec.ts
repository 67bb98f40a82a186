import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    it("keeps the cold start setting explore, and gives training each decision's margin (the profit a level leaves)", async () => {
      const policy = await service.createDiscountPolicies({
        name: "Even start", status: "active", rounds: ["first_order"] as any, ladder: [10] as any, max_discount_percent: 10, per_customer_limit: 1, offer_ttl_hours: 24, cold_start: "explore",
      } as any)
      expect((await service.retrieveDiscountPolicy(policy.id)).cold_start).toBe("explore")
      const levels = [
        { percent: 0, probability: 0.5, reserved_amount: 0 },
        { percent: 10, probability: 0.5, reserved_amount: 10 },
      ]
      const decide = (customerId: string, margin: number | null) =>
        service.decideOnce(
          { policy_id: policy.id, customer_id: customerId, cart_id: `cart_${customerId}`, round: "first_order", group: "explore", chosen_percent: 10, propensity: 0.5, model_version: "prior-v1", reasons: [], basket_value: 100, margin_percent: margin },
          { policy, customer_id: customerId, cart_id: `cart_${customerId}`, discount_percent: 10, reserved_amount: 10, currency_code: "usd", reason: "explore", levels }
        )
      await decide("cus_margin", 30)
      await decide("cus_unknown", null)
      const logged = await service.loggedDecisionsBefore(new Date(Date.now() + 60_000))
      const byCustomer = Object.fromEntries(logged.map((decision) => [decision.customer_id, decision]))
      expect(byCustomer.cus_margin).toMatchObject({ chosen_percent: 10, propensity: 0.5, margin_percent: 30 })
      expect(byCustomer.cus_unknown.margin_percent).toBeNull()
    })
  },
})
