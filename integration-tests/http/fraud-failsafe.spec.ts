/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders } from "../helpers/auth"
import { createTestStore, eventually, TestStore } from "../helpers/store"
import { completeAgain, ordersOfCart, placeOrder, shopper } from "../helpers/fraud"

jest.setTimeout(240_000)

// A corrupted model artifact: the shipped one with a flipped byte in its payload (checksum no longer matches).
const corrupted = path.join(os.tmpdir(), `fraud-model-corrupt-${process.pid}.json`)
const shipped = fs.readFileSync(path.resolve(__dirname, "../../src/modules/fraud/model/fraud-model.artifact.json"), "utf8")
fs.writeFileSync(corrupted, shipped.replace(/"onnxBase64":"(.)/, (_m, c) => `"onnxBase64":"${c === "A" ? "B" : "A"}`))
process.env.UPLIFT_FRAUD_MODEL_PATH = corrupted

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    let admin: { headers: Record<string, string> }
    const fraud = () => getContainer().resolve("upliftFraud") as any

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
      fraud().failClosed = false
    })

    it("fails open: the order is placed under a review hold, and rules still apply", async () => {
      const { settings } = (await api.get("/admin/fraud/settings", admin)).data
      expect(settings).toMatchObject({ model_version: null, model_engine: null, model_error: expect.stringMatching(/checksum/) })

      const placed = await placeOrder(api, store, await shopper(api, store, "open@uplift.test"))
      expect(placed.status).toBe(200)
      const hold = await eventually(async () => (await api.get(`/admin/fraud/holds?order_id=${placed.data.order.id}`, admin)).data.holds[0], Boolean)
      expect(hold).toMatchObject({ status: "open", reason: "risk model unavailable" })
      const [assessment] = (await api.get(`/admin/fraud/assessments?order_id=${placed.data.order.id}`, admin)).data.assessments
      expect(assessment).toMatchObject({ decision: "hold", score: null, model_error: expect.stringMatching(/checksum/) })

      await api.post("/admin/fraud/rules", { name: "No big orders", action: "block", conditions: [{ field: "order.item_count", operator: "gte", value: 3 }] }, admin)
      const blocked = await placeOrder(api, store, await shopper(api, store, "big@uplift.test"), { quantity: 3 })
      expect(blocked.status).toBe(400)
    })

    it("fails closed when configured: the checkout is refused and no order is created", async () => {
      fraud().failClosed = true
      const refused = await placeOrder(api, store, await shopper(api, store, "closed@uplift.test"))
      expect(refused.status).toBe(400)
      expect(await ordersOfCart(getContainer(), refused.cartId)).toHaveLength(0)
      const [assessment] = (await api.get(`/admin/fraud/assessments?cart_id=${refused.cartId}`, admin)).data.assessments
      expect(assessment).toMatchObject({ decision: "block", reason: "risk model unavailable" })

      await api.post("/admin/fraud/rules", { name: "Trusted domain", action: "allow", conditions: [{ field: "email_domain", operator: "eq", value: "trusted.test" }] }, admin)
      const trusted = await placeOrder(api, store, await shopper(api, store, "vip@trusted.test"))
      expect(trusted.status).toBe(200)
    })

    it("places no order while its assessment cannot be stored, even once the screening let it through; completes once it can", async () => {
      const who = await shopper(api, store, "unrecorded@uplift.test")
      const recordAssessment = fraud().recordAssessment
      // The write fails after the validate hook returned: the checkout awaits it before authorizing the payment.
      fraud().recordAssessment = async () => {
        await new Promise((resolve) => setTimeout(resolve, 300))
        throw new Error("assessment write failed")
      }
      let refused: Awaited<ReturnType<typeof placeOrder>>
      try {
        refused = await placeOrder(api, store, who)
      } finally {
        fraud().recordAssessment = recordAssessment
      }
      expect(refused.status).toBeGreaterThanOrEqual(400)
      expect(await ordersOfCart(getContainer(), refused.cartId)).toHaveLength(0)

      const placed = await completeAgain(api, store, who, refused.cartId)
      expect(placed.status).toBe(200)
      const hold = await eventually(async () => (await api.get(`/admin/fraud/holds?order_id=${placed.data.order.id}`, admin)).data.holds[0], Boolean)
      expect(hold).toMatchObject({ status: "open", reason: "risk model unavailable" })
    })
  },
})
