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
    it("asks for a decision until every live policy has one standing for the customer, on any cart", async () => {
      const active = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      const shadow = await service.createDiscountPolicies(policyInput("Trial", "shadow"))
      await service.createDiscountPolicies(policyInput("Old", "paused"))
      expect(await service.hasUndecidedPolicy("cus_1")).toBe(true)

      await service.createOfferDecisions(decisionInput(active.id, "cart_a"))
      expect(await service.hasUndecidedPolicy("cus_1")).toBe(true)

      await service.createOfferDecisions(decisionInput(shadow.id, "cart_a"))
      expect(await service.hasUndecidedPolicy("cus_1")).toBe(false)
      expect(await service.hasUndecidedPolicy("cus_2")).toBe(true)
    })

    it("lets a decision stand for the policy's offer TTL, then asks again", async () => {
      const policy = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      const decision = await service.createOfferDecisions(decisionInput(policy.id, "cart_a"))
      expect((await service.standingDecision(policy.id, "cus_1"))?.id).toBe(decision.id)
      await service.updateOfferDecisions({ id: decision.id, created_at: new Date(Date.now() - 25 * 3600_000) } as any)
      expect(await service.standingDecision(policy.id, "cus_1")).toBeUndefined()
      expect(await service.hasUndecidedPolicy("cus_1")).toBe(true)
    })

    it("records one decision for concurrent attempts of the same customer and policy", async () => {
      const policy = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      const attempts = await Promise.all(
        ["cart_a", "cart_b", "cart_c", "cart_d"].map((cartId) => service.recordDecision({ ...decisionInput(policy.id, cartId), round: "first_order", reasons: ["test"] }))
      )
      expect(attempts.filter((attempt) => attempt.recorded)).toHaveLength(1)
      expect(new Set(attempts.map((attempt) => attempt.decision.id)).size).toBe(1)
      const [stored] = await service.listOfferDecisions({ customer_id: "cus_1" })
      expect(stored.reasons).toEqual(["test"])
    })

    it("logs one decision and issues one offer for racing requests; the losers get the winner's offer", async () => {
      const policy = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      const record = { id: policy.id, status: "active", budget_amount: null, budget_period: null, per_customer_limit: 1, offer_ttl_hours: 24 }
      const attempts = await Promise.all(
        ["cart_a", "cart_b", "cart_c", "cart_d"].map((cartId, k) =>
          service.decideOnce(
            { ...decisionInput(policy.id, cartId), group: "fixed", chosen_percent: 10 + k, round: "first_order", reasons: ["test"] },
            { policy: record, customer_id: "cus_1", cart_id: cartId, discount_percent: 10 + k, reserved_amount: 2, currency_code: "usd", reason: "test" }
          )
        )
      )
      expect(attempts.filter((attempt) => attempt.recorded)).toHaveLength(1)
      expect(new Set(attempts.map((attempt) => attempt.offer?.id)).size).toBe(1)
      const winner = attempts.find((attempt) => attempt.recorded)!
      expect(attempts.every((attempt) => attempt.offer?.discount_percent === winner.decision.chosen_percent)).toBe(true)
      expect(await service.listOfferDecisions({ customer_id: "cus_1" })).toHaveLength(1)
      expect(await service.listPersonalOffers({ customer_id: "cus_1" })).toHaveLength(1)
    })

    it("claims one decision and one offer among 20 racing requests, with or without a budget; every loser shows the winner's", async () => {
      for (const budget of [null, 1000]) {
        const policy = await service.createDiscountPolicies({ ...policyInput(`Race ${budget}`, "active"), budget_amount: budget, budget_period: budget ? "day" : null } as any)
        const record = { id: policy.id, status: "active", budget_amount: budget, budget_period: budget ? "day" : null, per_customer_limit: 1, offer_ttl_hours: 24 } as const
        const customer = `cus_race_${budget}`
        const attempts = await Promise.all(
          Array.from({ length: 20 }, (_, k) =>
            service.decideOnce(
              { ...decisionInput(policy.id, `cart_${k}`), customer_id: customer, group: "fixed", chosen_percent: 1 + k, round: "first_order", reasons: ["race"] },
              { policy: record as any, customer_id: customer, cart_id: `cart_${k}`, discount_percent: 1 + k, reserved_amount: 2, currency_code: "usd", reason: "race" }
            )
          )
        )
        const winners = attempts.filter((attempt) => attempt.recorded)
        expect(winners).toHaveLength(1)
        expect(new Set(attempts.map((attempt) => attempt.decision.id))).toEqual(new Set([winners[0].decision.id]))
        expect(attempts.every((attempt) => attempt.offer?.discount_percent === winners[0].decision.chosen_percent)).toBe(true)
        expect(await service.listOfferDecisions({ customer_id: customer })).toHaveLength(1)
        expect(await service.listPersonalOffers({ customer_id: customer })).toHaveLength(1)
      }
    })

    it("follows a decision that outlived the TTL with exactly one new one, whatever races, and keeps its offer open", async () => {
      const policy = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      const record = { id: policy.id, status: "active", budget_amount: null, budget_period: null, per_customer_limit: 1, offer_ttl_hours: 24 } as any
      const decide = (cartId: string) =>
        service.decideOnce(
          { ...decisionInput(policy.id, cartId), group: "fixed", chosen_percent: 10, round: "first_order" },
          { policy: record, customer_id: "cus_1", cart_id: cartId, discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "test" }
        )
      const first = await decide("cart_a")
      await service.updateOfferDecisions({ id: first.decision.id, created_at: new Date(Date.now() - 25 * 3600_000) } as any)
      const again = await Promise.all(["cart_b", "cart_c", "cart_d", "cart_e", "cart_f"].map(decide))
      expect(again.filter((attempt) => attempt.recorded)).toHaveLength(1)
      const decisions = await service.listOfferDecisions({ customer_id: "cus_1" }, { order: { created_at: "ASC" } })
      expect(decisions.map((decision: any) => decision.claim_key)).toEqual(["", first.decision.id])
      // The first decision's offer is still open: the new decision shows it instead of issuing a second.
      expect(again.every((attempt) => attempt.offer?.id === first.offer!.id)).toBe(true)
      expect(await service.listPersonalOffers({ customer_id: "cus_1" })).toHaveLength(1)
    })

    it("answers the cart update's two questions in one read: the usable offer, and which live policies decided", async () => {
      const offered = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      const shadow = await service.createDiscountPolicies(policyInput("Trial", "shadow"))
      const ids = [offered.id, shadow.id]
      expect(await service.usableOfferAndDecided("cus_1", "cart_a", ids)).toEqual({ offer: undefined, decided: new Set() })
      const record = { id: offered.id, status: "active", budget_amount: null, budget_period: null, per_customer_limit: 1, offer_ttl_hours: 24 } as any
      await service.decideOnce(
        { ...decisionInput(offered.id, "cart_a"), group: "fixed", chosen_percent: 10, round: "first_order" },
        { policy: record, customer_id: "cus_1", cart_id: "cart_a", discount_percent: 10, reserved_amount: 2, currency_code: "usd", reason: "test" }
      )
      const { offer, decided } = await service.usableOfferAndDecided("cus_1", "cart_a", ids)
      expect(offer).toEqual(await service.findUsableOffer("cus_1", "cart_a"))
      expect(offer).toMatchObject({ discount_percent: 10, policy: { id: offered.id } })
      expect(decided).toEqual(new Set([offered.id]))
      expect((await service.usableOfferAndDecided("cus_2", null, ids)).decided).toEqual(new Set())
    })

    it("sees a policy written through the service at once (the in-memory copy is dropped)", async () => {
      expect(await service.hasLivePolicies()).toBe(false)
      const policy = await service.createDiscountPolicies(policyInput("Welcome", "active"))
      expect((await service.livePolicies()).map((live) => live.id)).toEqual([policy.id])
      await service.updateDiscountPolicies({ id: policy.id, status: "paused" })
      expect(await service.hasLivePolicies()).toBe(false)
    })

    it("asks for nothing when no policy is live", async () => {
      await service.createDiscountPolicies(policyInput("Old", "paused"))
      expect(await service.hasUndecidedPolicy("cus_1")).toBe(false)
    })
  },
})
