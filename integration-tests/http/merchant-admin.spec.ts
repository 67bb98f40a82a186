import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders } from "../helpers/auth"
import { welcomePolicy } from "../helpers/policies"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"
import { UPLIFT_MODULE } from "../../src/modules/uplift"

jest.setTimeout(120_000)

// The runner reads medusa-config before applying its `env` option, so the Redis setup is set here.
process.env.REDIS_URL = process.env.UPLIFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/9"
process.env.UPLIFT_QUEUE_PREFIX = `{uplift-test-${process.pid}}`

const budgetPolicy = { ...welcomePolicy, name: "Budgeted welcome", budget: { amount: 100, currency_code: "usd", period: "week" } }

/** What a merchant reads in the admin in the first hour (issue #17), through the admin API the pages call. */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    afterAll(() => {
      delete process.env.REDIS_URL
      delete process.env.UPLIFT_QUEUE_PREFIX
    })

    let admin: { headers: Record<string, string> }
    beforeEach(async () => {
      admin = await adminHeaders(api, getContainer())
    })

    it("lists the shipped fraud model as the active fraud version, with its provenance", async () => {
      const { data } = await api.get("/admin/ml/models", admin)
      const fraud = data.models.filter((model: any) => model.kind === "fraud")
      expect(fraud).toHaveLength(1)
      // Where it runs is what the scorer reports (jest's VM realm makes onnxruntime refuse its tensors: TypeScript).
      const { data: settings } = await api.get("/admin/fraud/settings", admin)
      expect(fraud[0]).toMatchObject({ status: "active", shipped: true, execution_provider: settings.settings.model_engine === "onnx" ? "cpu" : "TypeScript scorer" })
      expect(fraud[0].version).toMatch(/^fraud-gbdt-/)
      expect(fraud[0].note).toMatch(/Shipped with the plugin.*scores every checkout/)
      expect(fraud[0].metrics.roc_auc).toBeGreaterThan(0.5)
      const { data: propensity } = await api.get("/admin/ml/models?kind=propensity", admin)
      expect(propensity.models).toEqual([])
    })

    it("says which version of each model serves and what it actually runs on", async () => {
      const { data } = await api.get("/admin/uplift/status", admin)
      const byModel = Object.fromEntries(data.uplift.models.map((model: any) => [model.model, model]))
      expect(Object.keys(byModel).sort()).toEqual(["fraud", "propensity", "recommendations", "response"])
      const { data: settings } = await api.get("/admin/fraud/settings", admin)
      expect(byModel.fraud.runs_on).toBe(settings.settings.model_engine === "onnx" ? "onnxruntime, cpu" : "TypeScript scorer (onnxruntime could not load the model)")
      expect(byModel.fraud.version).toMatch(/^fraud-gbdt-/)
      expect(byModel.response).toEqual({ model: "response", version: null, runs_on: "not trained yet" })
      // The configured preference stays available, apart from what runs.
      expect(data.uplift.execution_providers).toEqual(["cuda", "cpu"])
      for (const model of data.uplift.models) expect(typeof model.runs_on).toBe("string")
    })

    it("reports a policy's budget as redeemed and reserved apart", async () => {
      const { data: created } = await api.post("/admin/discount-policies", budgetPolicy, admin)
      const policy = created.discount_policy
      const discounts = getContainer().resolve<any>(DISCOUNTS_MODULE)
      const offer = { policy_id: policy.id, decision_id: "d", discount_percent: 10, expires_at: new Date(Date.now() + 86_400_000) }
      await discounts.createPersonalOffers([
        { ...offer, customer_id: "c1", status: "redeemed", reserved_amount: 15, redeemed_amount: 10, order_id: "order_redeemed" },
        { ...offer, customer_id: "c2", status: "active", reserved_amount: 6 },
      ])
      const { data: one } = await api.get(`/admin/discount-policies/${policy.id}`, admin)
      expect(one.discount_policy).toMatchObject({ spent: 10, reserved: 6 })
      const { data: list } = await api.get("/admin/discount-policies", admin)
      expect(list.discount_policies.find((row: any) => row.id === policy.id)).toMatchObject({ spent: 10, reserved: 6 })
      const { data: report } = await api.get(`/admin/discount-policies/${policy.id}/report`, admin)
      expect(report.report.budget).toMatchObject({ amount: 100, spent: 10, reserved: 6 })

      // The order page finds the offer an order redeemed.
      const { data: byOrder } = await api.get("/admin/personal-offers?order_id=order_redeemed", admin)
      expect(byOrder.personal_offers.map((row: any) => row.customer_id)).toEqual(["c1"])
      const bad = await api.get(`/admin/personal-offers?order_id=${"x".repeat(101)}`, admin).catch((error: any) => error.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/order_id/)
    })

    it("gives a customer's purchase history per origin, with its currency", async () => {
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      const purchase = (source: string, order_id: string, value: number, day: number) => ({
        dedupe_key: `history:${order_id}:${value}`, kind: "purchase", source, customer_id: "cus_history", order_id, quantity: 1, value, currency_code: "usd",
        occurred_at: new Date(Date.UTC(2026, 0, day)),
      })
      await uplift.recordInteractions([
        purchase("seed", "cj_1", 20, 1), purchase("seed", "cj_1", 5.5, 1), purchase("seed", "cj_2", 43, 3),
        purchase("event", "order_live", 12, 9),
      ])
      const { data } = await api.get("/admin/customers/cus_history/uplift", admin)
      const bySource = Object.fromEntries(data.propensity.history.map((group: any) => [group.source, group]))
      expect(bySource.seed).toMatchObject({ currency_code: "usd", order_count: 2, total_spent: 68.5 })
      expect(new Date(bySource.seed.last_order_at).toISOString()).toBe("2026-01-03T00:00:00.000Z")
      expect(bySource.event).toMatchObject({ currency_code: "usd", order_count: 1, total_spent: 12 })
    })
  },
})
