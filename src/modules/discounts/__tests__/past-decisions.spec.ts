import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { DISCOUNTS_MODULE } from ".."
import DiscountsModuleService from "../service"

jest.setTimeout(60_000)

const DAY_MS = 86_400_000

moduleIntegrationTestRunner<DiscountsModuleService>({
  moduleName: DISCOUNTS_MODULE,
  resolve: "./src/modules/discounts",
  moduleOptions: {},
  testSuite: ({ service }) => {
    it("records past decisions at their own time with their offers, which training and the report then read", async () => {
      const policy = await service.createDiscountPolicies({ name: "Replay", status: "active", rounds: ["win_back"] as any, ladder: [10, 15] as any, max_discount_percent: 15 })
      const now = Date.now()
      const decision = (customer: string, daysAgo: number, level: number) => ({
        policy_id: policy.id,
        customer_id: customer,
        cart_id: null,
        round: "win_back",
        group: (level ? "explore" : "holdout") as "explore" | "holdout",
        chosen_percent: level,
        propensity: 1 / 3,
        model_version: "randomized-test",
        features: { basket_value: 100, items: 1 },
        reasons: ["replayed"],
        basket_value: 100,
        margin_percent: 30,
        created_at: new Date(now - daysAgo * DAY_MS),
      })
      const offer = (daysAgo: number, redeemed: boolean) => ({
        discount_percent: 10,
        status: (redeemed ? "redeemed" : "expired") as "redeemed" | "expired",
        reserved_amount: 10,
        redeemed_amount: redeemed ? 10 : null,
        currency_code: "usd",
        expires_at: new Date(now - daysAgo * DAY_MS + 3 * DAY_MS),
        order_id: redeemed ? "order_1" : null,
        redeemed_at: redeemed ? new Date(now - daysAgo * DAY_MS + DAY_MS) : null,
        reason: "10% off",
      })
      const ids = await service.recordPastDecisions([
        { decision: decision("cus_a", 30, 10), offer: offer(30, true) },
        { decision: decision("cus_b", 20, 0) },
        { decision: decision("cus_c", 2, 10), offer: offer(2, false) },
      ])
      expect(ids).toHaveLength(3)

      const stored = await service.listOfferDecisions({ policy_id: policy.id }, { order: { created_at: "ASC" } })
      expect(stored.map((row) => row.customer_id)).toEqual(["cus_a", "cus_b", "cus_c"])
      expect(stored.map((row) => row.id)).toEqual(ids)
      expect(Math.round((now - new Date(stored[0].created_at).getTime()) / DAY_MS)).toBe(30)
      expect(stored[0].features).toEqual({ basket_value: 100, items: 1 })
      expect(stored[1]).toMatchObject({ group: "holdout", chosen_percent: 0 })
      expect(stored[1].propensity).toBeCloseTo(1 / 3, 6)

      const offers = await service.listPersonalOffers({ policy_id: policy.id }, { order: { created_at: "ASC" } })
      expect(offers.map((row) => [row.decision_id, row.customer_id, row.status])).toEqual([
        [ids[0], "cus_a", "redeemed"],
        [ids[2], "cus_c", "expired"],
      ])

      // Training reads those whose attribution window (7 days) has closed: not the one of 2 days ago.
      const logged = await service.loggedDecisionsBefore(new Date(now - 7 * DAY_MS))
      expect(logged.map((row) => row.customer_id).sort()).toEqual(["cus_a", "cus_b"])
      expect(logged.find((row) => row.customer_id === "cus_a")).toMatchObject({ chosen_percent: 10, basket_value: 100 })
    })
  },
})
