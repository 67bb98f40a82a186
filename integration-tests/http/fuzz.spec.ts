import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { createTestStore } from "../helpers/store"

jest.setTimeout(240_000)

/** Values of the wrong kind, sizes and encodings that a careless or hostile client sends. */
const HOSTILE_VALUES: unknown[] = [
  null, true, -1, 0, 1e308, -1e308, 3.5, "", " ", "abc", "1e999", "NaN", "-0", "𝔘𝔭𝔩𝔦𝔣𝔱 ☃ ٣", "\u0000", "'; drop table uplift_interaction; --",
  "<script>alert(1)</script>", "${jndi:ldap://x}", "../../etc/passwd", "x".repeat(10_000), [], [1, 2], ["a"], {}, { $gt: "" }, { nested: { deep: [null] } },
]

const validPolicy = {
  name: "Fuzz", status: "draft", strategy: "model", rounds: ["first_order"], ladder: [5, 10], max_discount_percent: 10,
  min_margin_percent: 5, holdout_percent: 10, exploration_percent: 5, per_customer_limit: 1, offer_ttl_hours: 24,
  stacking: "exclusive", objective: "profit", budget: { amount: 100, currency_code: "usd", period: "week" }, fairness: { attribute: "country", max_gap: 0.2 },
}

/** Every body field replaced by every hostile value, one at a time, plus unknown fields. */
function* bodyMutations(valid: Record<string, unknown>): Generator<{ body: unknown; field: string }> {
  for (const field of Object.keys(valid)) {
    for (const value of HOSTILE_VALUES) {
      yield { body: { ...valid, [field]: value }, field }
    }
  }
  yield { body: { ...valid, unexpected_field: 1 }, field: "unexpected_field" }
  yield { body: { ...valid, __proto__: { admin: true }, constructor: "x" }, field: "constructor" }
}

const HOSTILE_QUERIES = ["limit=abc", "limit=-5", "limit=1e9", "offset=-1", "offset=x", "status=unknown", "status[]=active", "kind=%00", "window_days=0", "window_days=NaN", "unknown_param=1", "limit=10&limit=20", "status=%F0%9F%92%A5"]
const HOSTILE_IDS = ["%00", "..%2F..%2Fetc", "x".repeat(3000), "%F0%9F%92%A5", "' OR 1=1 --", "null", "undefined", "-1"]

/** Every plugin route; admin routes must refuse anyone but an admin, store routes anyone but the customer. */
const ADMIN_ROUTES: [string, string][] = [
  ["get", "/admin/uplift/status"], ["get", "/admin/discount-policies"], ["post", "/admin/discount-policies"],
  ["get", "/admin/discount-policies/udpol_x"], ["post", "/admin/discount-policies/udpol_x"], ["delete", "/admin/discount-policies/udpol_x"],
  ["get", "/admin/discount-policies/udpol_x/report"], ["get", "/admin/personal-offers"], ["get", "/admin/ml/models"],
  ["post", "/admin/ml/models/umod_x/activate"], ["get", "/admin/ml/training-runs"], ["post", "/admin/ml/training-runs"],
  ["get", "/admin/ml/training-runs/utrn_x"], ["get", "/admin/ml/queues"], ["post", "/admin/ml/queues/uplift-training/jobs/x/retry"],
  ["get", "/admin/fraud/rules"], ["post", "/admin/fraud/rules"], ["get", "/admin/fraud/rules/frule_x"], ["post", "/admin/fraud/rules/frule_x"],
  ["delete", "/admin/fraud/rules/frule_x"], ["get", "/admin/fraud/holds"], ["post", "/admin/fraud/holds/fhold_x/release"],
  ["post", "/admin/fraud/holds/fhold_x/reject"], ["get", "/admin/fraud/assessments"], ["get", "/admin/fraud/labels"],
  ["post", "/admin/fraud/labels"], ["get", "/admin/fraud/settings"], ["post", "/admin/fraud/settings"],
]

const validRule = { name: "Fuzz rule", enabled: true, priority: 1, action: "hold", conditions: [{ field: "order.total", operator: "gte", value: 100 }] }
const validLabel = { order_id: "order_x", label: "fraud", source: "manual", note: "n" }

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    it("refuses every admin route without an admin and the store offers route without a customer", async () => {
      const store = await createTestStore(getContainer(), 1)
      const shopper = await customerHeaders(api, store.publishableKey, "not-admin@uplift.test")
      for (const [method, url] of ADMIN_ROUTES) {
        const anonymous = await api.request({ method, url, data: {}, validateStatus: () => true })
        expect([url, anonymous.status]).toEqual([url, 401])
        const asCustomer = await api.request({ method, url, data: {}, headers: { authorization: shopper.headers.authorization }, validateStatus: () => true })
        expect([url, asCustomer.status]).toEqual([url, 401])
      }
      const guest = await api.get("/store/customers/me/offers", { headers: { "x-publishable-api-key": store.publishableKey }, validateStatus: () => true })
      expect(guest.status).toBe(401)
    })

    it("answers at least 500 malformed requests across the plugin's routes without a 5xx, naming the field", async () => {
      const store = await createTestStore(getContainer(), 1)
      const admin = await adminHeaders(api, getContainer())
      const shopper = await customerHeaders(api, store.publishableKey, "fuzz@uplift.test")
      const { data } = await api.post("/admin/discount-policies", validPolicy, admin)
      const policyId = data.discount_policy.id
      const send = (method: string, url: string, body?: unknown, headers = admin.headers) =>
        api.request({ method, url, data: body, headers, validateStatus: () => true })
      const results: { request: string; status: number; message: string; field?: string }[] = []
      const record = async (label: string, response: Promise<any>, field?: string) => {
        const { status, data } = await response
        results.push({ request: label, status, message: typeof data === "object" ? String(data?.message ?? "") : String(data), field })
      }

      for (const { body, field } of bodyMutations(validPolicy)) {
        await record(`POST /admin/discount-policies ${field}`, send("post", "/admin/discount-policies", body), field)
        await record(`POST /admin/discount-policies/:id ${field}`, send("post", `/admin/discount-policies/${policyId}`, body), field)
      }
      for (const value of HOSTILE_VALUES) {
        await record("POST /admin/ml/training-runs model", send("post", "/admin/ml/training-runs", { model: value }), "model")
        await record("POST /admin/fraud/settings hold_score", send("post", "/admin/fraud/settings", { hold_score: value }), "hold_score")
        await record("POST /admin/fraud/holds/:id/release note", send("post", "/admin/fraud/holds/fhold_x/release", { note: value }))
      }
      for (const { body, field } of bodyMutations(validRule)) {
        await record(`POST /admin/fraud/rules ${field}`, send("post", "/admin/fraud/rules", body), field)
      }
      for (const { body, field } of bodyMutations(validLabel)) {
        await record(`POST /admin/fraud/labels ${field}`, send("post", "/admin/fraud/labels", body), field)
      }
      const listRoutes = [
        "/admin/discount-policies", "/admin/personal-offers", "/admin/ml/models", `/admin/discount-policies/${policyId}/report`, "/admin/ml/training-runs",
        "/admin/ml/queues", "/admin/uplift/status", "/admin/fraud/rules", "/admin/fraud/holds", "/admin/fraud/assessments", "/admin/fraud/labels",
      ]
      for (const route of listRoutes) {
        for (const query of HOSTILE_QUERIES) {
          await record(`GET ${route}?${query}`, send("get", `${route}?${query}`))
        }
      }
      for (const id of HOSTILE_IDS) {
        for (const route of ["/admin/discount-policies/ID", "/admin/discount-policies/ID/report", "/admin/ml/training-runs/ID", "/admin/fraud/rules/ID"]) {
          await record(`GET ${route} ${id.slice(0, 20)}`, send("get", route.replace("ID", id)))
        }
        await record(`POST /admin/ml/models/${id.slice(0, 20)}/activate`, send("post", `/admin/ml/models/${id}/activate`, {}))
        await record(`DELETE /admin/discount-policies/${id.slice(0, 20)}`, send("delete", `/admin/discount-policies/${id}`))
        await record(`POST retry ${id.slice(0, 20)}`, send("post", `/admin/ml/queues/uplift-training/jobs/${id}/retry`, {}))
        await record(`POST release ${id.slice(0, 20)}`, send("post", `/admin/fraud/holds/${id}/release`, {}))
        await record(`DELETE rule ${id.slice(0, 20)}`, send("delete", `/admin/fraud/rules/${id}`))
      }
      for (const query of HOSTILE_QUERIES) {
        await record(`GET /store/customers/me/offers?${query}`, send("get", `/store/customers/me/offers?${query}`, undefined, shopper.headers))
      }
      await record("POST invalid JSON", api.post("/admin/discount-policies", "{not json", { headers: { ...admin.headers, "content-type": "application/json" }, validateStatus: () => true }))

      expect(results.length).toBeGreaterThanOrEqual(500)
      const serverErrors = results.filter((result) => result.status >= 500)
      expect(serverErrors).toEqual([])
      const unnamed = results.filter((result) => result.field && result.status === 400 && !result.message.includes(result.field))
      expect(unnamed).toEqual([])
      const { data: after } = await api.get(`/admin/discount-policies/${policyId}`, admin)
      expect(after.discount_policy).toMatchObject({ name: "Fuzz", ladder: [5, 10], status: "draft" })
    })
  },
})
