import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

const policyInput = (name: string, status: "active" | "shadow" | "paused") => ({
  name, status, rounds: ["first_order"] as any, ladder: [10] as any, max_discount_percent: 10, offer_ttl_hours: 24,
})

const decisionInput = (policyId: string, cartId: string) => ({
  policy_id: policyId, customer_id: "cus_1", cart_id: cartId, group: "holdout" as const, chosen_percent: 0, propensity: 1, model_version: "rules",
})

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    it("asks for a decision until every live policy has decided for the cart, and only for that cart", async () => {
      const active = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      const shadow = await service.createDiscountPolicies(policyInput("Trial", "shadow"))
      await service.createDiscountPolicies(policyInput("Old", "paused"))
      expect(await service.hasUndecidedPolicy("cus_1", "cart_a")).toBe(true)

      await service.createOfferDecisions(decisionInput(active.id, "cart_a"))
      expect(await service.hasUndecidedPolicy("cus_1", "cart_a")).toBe(true)

      await service.createOfferDecisions(decisionInput(shadow.id, "cart_a"))
      expect(await service.hasUndecidedPolicy("cus_1", "cart_a")).toBe(false)
      // Another cart of the same customer, or another customer's, still gets its own decision.
      expect(await service.hasUndecidedPolicy("cus_1", "cart_b")).toBe(true)
      expect(await service.hasUndecidedPolicy("cus_2", "cart_a")).toBe(true)
    })

    it("asks for nothing when no policy is live", async () => {
      await service.createDiscountPolicies(policyInput("Old", "paused"))
      expect(await service.hasUndecidedPolicy("cus_1", "cart_a")).toBe(false)
    })
  },
})
