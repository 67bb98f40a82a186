/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { checkout, createCart, createTestStore, eventually, promotionCodes, storeConfig, TestStore } from "../helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"

jest.setTimeout(240_000)

process.env.REDIS_URL = process.env.UPLIFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/9"
process.env.UPLIFT_QUEUE_PREFIX = `{uplift-learning-${process.pid}}`

const DAY = 86_400_000

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    afterAll(() => {
      delete process.env.REDIS_URL
      delete process.env.UPLIFT_QUEUE_PREFIX
    })

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    /** First-order shoppers each open a cart; their logged decisions under the policy. */
    async function decideFor(prefix: string, count: number): Promise<any[]> {
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const decisions: any[] = []
      for (let i = 0; i < count; i++) {
        const shopper = await customerHeaders(api, store.publishableKey, `${prefix}-${i}@uplift.test`)
        await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
        const [decision] = await eventually(() => discounts.listOfferDecisions({ customer_id: shopper.customerId }), (rows: any[]) => rows.length === 1)
        decisions.push(decision)
      }
      return decisions
    }

    /** Starts a response training run through the admin API and waits until it has ended. */
    async function trainResponseModel(): Promise<any> {
      const { data: run } = await api.post("/admin/ml/training-runs", { model: "response" }, admin)
      return eventually(
        async () => (await api.get(`/admin/ml/training-runs/${run.training_run.id}`, admin)).data.training_run,
        (current: any) => current.status === "completed" || current.status === "failed",
        90_000
      )
    }

    /** The exploring policy's own log, a month old: 10% off and no discount sold equally well (every other shopper bought). */
    async function logOutcomes(policyId: string, count: number) {
      const pg = getContainer().resolve<any>("__pg_connection__")
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const purchases: any[] = []
      for (let i = 0; i < count; i++) {
        const at = new Date(Date.now() - 40 * DAY + i * 3_600_000)
        const decision = await discounts.createOfferDecisions({
          policy_id: policyId, customer_id: `past_${i}`, group: "explore", chosen_percent: i % 4 < 2 ? 10 : 0, propensity: 0.5,
          model_version: "prior-v1", basket_value: 30, features: { basket_value: 30, items: 1 },
        })
        await pg.raw("update uplift_offer_decision set created_at = ? where id = ?", [at, decision.id])
        if (i % 2 === 0) {
          purchases.push({ dedupe_key: `past:${i}`, kind: "purchase", customer_id: `past_${i}`, order_id: `past_order_${i}`, product_id: "prod_x", quantity: 1, value: 30, occurred_at: new Date(at.getTime() + DAY) })
        }
      }
      await getContainer().resolve<any>(UPLIFT_MODULE).recordInteractions(purchases)
    }

    it("an exploring policy learns from its logged outcomes that 10% off buys nothing, and stops giving it", async () => {
      const { data } = await api.post(
        "/admin/discount-policies",
        { name: "Exploring", status: "active", rounds: ["first_order"], ladder: [10], max_discount_percent: 10, holdout_percent: 0, exploration_percent: 20, objective: "profit", cold_start: "prior" },
        admin
      )
      const policyId = data.discount_policy.id

      // Cold start: the prior's greedy choice is 10%; exploration logs the level with its propensity.
      const before = await decideFor("before", 4)
      for (const decision of before) {
        expect(decision.model_version).toBe("prior-v1")
        if (decision.group === "model") expect(decision).toMatchObject({ chosen_percent: 10, propensity: 0.9 })
      }

      await logOutcomes(policyId, 60)
      const trained = await trainResponseModel()
      expect(trained).toMatchObject({ status: "completed", outcome: "active" })
      await new Promise((resolve) => setTimeout(resolve, 2_100))

      // The trained uplift model sees no lift at 10%: the greedy choice is now no discount.
      const after = await decideFor("after", 4)
      for (const decision of after) {
        expect(decision.model_version).toBe("response-v1")
        const ten = decision.candidates.find((candidate: any) => candidate.percent === 10)
        expect(ten.expected_value).toBeLessThan(0)
        if (decision.group === "model") expect(decision).toMatchObject({ chosen_percent: 0, propensity: 0.9 })
      }
      expect([...before, ...after].every((decision) => decision.group === "model" || decision.group === "explore")).toBe(true)
    })

    it("a policy learns from its own exploring decisions and the orders its shoppers place that 10% off sells, and starts offering it", async () => {
      const pg = getContainer().resolve<any>("__pg_connection__")
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const { data } = await api.post(
        "/admin/discount-policies",
        { name: "Learning", status: "active", rounds: ["first_order"], ladder: [10], max_discount_percent: 10, holdout_percent: 0, exploration_percent: 0, objective: "profit" },
        admin
      )
      const policyId = data.discount_policy.id
      /** A new shopper adds the item; returns who they are, their cart and the promotion codes the add response shows. */
      const shopperAdds = async (email: string) => {
        const shopper = await customerHeaders(api, store.publishableKey, email)
        const config = storeConfig(store, shopper.headers)
        const { data: created } = await api.post("/store/carts", { region_id: store.regionId, sales_channel_id: store.salesChannelId }, config)
        const { data: added } = await api.post(`/store/carts/${created.cart.id}/line-items`, { variant_id: store.variantIds[0], quantity: 1 }, config)
        return { ...shopper, cartId: created.cart.id as string, codes: promotionCodes(added.cart) }
      }

      // No model yet and no exploration: the cold start gives no discount.
      expect((await shopperAdds("cold@uplift.test")).codes).toEqual([])

      // Exploring, the policy logs 0% and 10% with their propensities; the shoppers who got 10% buy, the others do not.
      await api.post(`/admin/discount-policies/${policyId}`, { exploration_percent: 50 }, admin)
      await new Promise((resolve) => setTimeout(resolve, 2_100))
      const explored: { customerId: string; percent: number }[] = []
      for (let i = 0; explored.filter((shopper) => shopper.percent === 10).length < 5 || explored.length < 20; i++) {
        const shopper = await shopperAdds(`explore-${i}@uplift.test`)
        const [decision] = await discounts.listOfferDecisions({ customer_id: shopper.customerId, policy_id: policyId })
        expect(shopper.codes).toEqual(decision.chosen_percent === 10 ? ["YOUR-10-OFF"] : [])
        explored.push({ customerId: shopper.customerId, percent: decision.chosen_percent })
        if (decision.chosen_percent === 10) {
          await checkout(api, store, shopper.cartId, shopper.headers, `explore-${i}@uplift.test`)
        }
      }
      const buyers = explored.filter((shopper) => shopper.percent === 10).map((shopper) => shopper.customerId)
      // The order path records each purchase (order.placed -> purchase history).
      await eventually(
        async () => (await pg("uplift_interaction").where({ kind: "purchase" }).whereIn("customer_id", buyers).countDistinct({ n: "customer_id" }))[0].n,
        (n: any) => Number(n) === buyers.length,
        60_000
      )
      // Eight days pass: every attribution window has closed.
      const ids = explored.map((shopper) => shopper.customerId)
      await pg.raw("update uplift_offer_decision set created_at = created_at - interval '8 days' where customer_id = any(?)", [ids])
      await pg.raw("update uplift_interaction set occurred_at = occurred_at - interval '8 days' where customer_id = any(?)", [ids])

      const trained = await trainResponseModel()
      expect(trained).toMatchObject({ status: "completed", outcome: "active" })
      await api.post(`/admin/discount-policies/${policyId}`, { exploration_percent: 0 }, admin)
      await new Promise((resolve) => setTimeout(resolve, 2_100))

      // Learned: 10% off is worth its cost, so new shoppers get it in the add-to-cart response.
      for (let i = 0; i < 3; i++) {
        const shopper = await shopperAdds(`learned-${i}@uplift.test`)
        expect(shopper.codes).toEqual(["YOUR-10-OFF"])
        const [decision] = await discounts.listOfferDecisions({ customer_id: shopper.customerId, policy_id: policyId })
        expect(decision).toMatchObject({ group: "model", chosen_percent: 10, model_version: "response-v1" })
      }
    }, 900_000)
  },
})
