import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    const policyInput = (extra: Record<string, unknown> = {}) => ({
      name: "Welcome", status: "active" as const, rounds: ["first_order"] as any, ladder: [5, 10] as any, max_discount_percent: 10, per_customer_limit: 1, offer_ttl_hours: 24, ...extra,
    })
    // Drawn 10% (greedy 0.9, each level explored 0.1/3); a 100 basket reserves 5 or 10.
    const levels = [
      { percent: 0, probability: 0.1 / 3, reserved_amount: 0 },
      { percent: 5, probability: 0.1 / 3, reserved_amount: 5 },
      { percent: 10, probability: 0.9 + 0.1 / 3, reserved_amount: 10 },
    ]
    const decide = (policy: any, customerId: string) =>
      service.decideOnce(
        { policy_id: policy.id, customer_id: customerId, cart_id: `cart_${customerId}`, round: "first_order", group: "model", chosen_percent: 10, propensity: 0.9 + 0.1 / 3, model_version: "m1", reasons: ["10% pays"] },
        { policy, customer_id: customerId, cart_id: `cart_${customerId}`, discount_percent: 10, reserved_amount: 10, currency_code: "usd", reason: "10% pays", levels }
      )

    it("logs an issued offer as drawn", async () => {
      const policy = await service.createDiscountPolicies(policyInput())
      const result = await decide(policy, "cus_1")
      expect(result.offer).toBeDefined()
      expect(result.decision).toMatchObject({ chosen_percent: 10 })
      expect(result.decision.propensity).toBeCloseTo(0.9 + 0.1 / 3, 6)
    })

    it("logs a budget refusal as level 0 with the probability of the levels that did not fit", async () => {
      const policy = await service.createDiscountPolicies(policyInput({ budget_amount: 7, budget_currency_code: "usd", budget_period: "day" }))
      const result = await decide(policy, "cus_1")
      expect(result.refused).toBe("budget")
      // 7 left: 5% would have fitted, so only 0 and 10 lead to no offer
      expect(result.decision).toMatchObject({ chosen_percent: 0 })
      expect(result.decision.propensity).toBeCloseTo(0.1 / 3 + 0.9 + 0.1 / 3, 6)
      const [stored] = await service.listOfferDecisions({ id: result.decision.id })
      expect(stored).toMatchObject({ chosen_percent: 0 })
      expect(stored.reasons).toContain("Budget for this period is used up.")
    })

    it("logs an offer-limit refusal as level 0 with propensity 1", async () => {
      const policy: any = await service.createDiscountPolicies(policyInput())
      const first = await service.issueOffer({ policy, decision_id: "d0", customer_id: "cus_1", cart_id: "c0", discount_percent: 10, reserved_amount: 10, currency_code: "usd", reason: "test" })
      await service.claimOffer(first.offer!.id, "c0")
      await service.redeemOffer({ order_id: "order_1", cart_id: "c0", customer_id: "cus_1" }, 10)
      const result = await decide(policy, "cus_1")
      expect(result.refused).toBe("per_customer_limit")
      expect(result.decision).toMatchObject({ chosen_percent: 0, propensity: 1 })
      const [stored] = await service.listOfferDecisions({ id: result.decision.id })
      expect(stored).toMatchObject({ chosen_percent: 0, propensity: 1, reasons: ["10% pays", "The customer reached the policy's offer limit."] })
      expect(await service.listPersonalOffers({ customer_id: "cus_1", status: "active" })).toHaveLength(0)
    })
  },
})
