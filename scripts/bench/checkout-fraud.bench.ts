/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import * as fs from "fs"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../../integration-tests/helpers/auth"
import { createCart, createTestStore } from "../../integration-tests/helpers/store"
import { median } from "../lib/stats"

jest.setTimeout(Number(process.env.BENCH_TIMEOUT_S ?? 3_600) * 1_000)

const PAIRS = Number(process.env.BENCH_PAIRS ?? 100)
const WARMUP = 4
const SHOPPERS = Number(process.env.BENCH_SHOPPERS ?? 20)

/**
 * The checkout's timeline on both sides, to locate the added time that no phase covers: when the workflow
 * begins, when the validate hook (screening and offer claim) begins and ends, when payment authorization
 * begins, when the workflow finishes, and the response. Medusa's in-process workflow engine reports each step
 * to the handlers it builds here; the bench wraps them to take the time (the server runs in this process).
 */
const TIMELINE = ["workflow_begin", "validate_begin", "validate_end", "authorization_begin", "workflow_finish"] as const
let timeline: { t0: bigint; marks: Partial<Record<(typeof TIMELINE)[number], number>> } | null = null
const markTimeline = (mark: (typeof TIMELINE)[number]) => {
  if (timeline && timeline.marks[mark] === undefined) timeline.marks[mark] = Number(process.hrtime.bigint() - timeline.t0) / 1e6
}
const { WorkflowOrchestratorService } = require("@medusajs/workflow-engine-inmemory/dist/services/workflow-orchestrator")
const buildWorkflowEvents = WorkflowOrchestratorService.prototype.buildWorkflowEvents
WorkflowOrchestratorService.prototype.buildWorkflowEvents = function (args: { workflowId: string }) {
  const events = buildWorkflowEvents.call(this, args)
  if (args.workflowId !== "complete-cart") return events
  const wrap = (kind: string, mark: (step: string | undefined) => (typeof TIMELINE)[number] | null) => {
    const handler = events[kind]
    events[kind] = (a: { step?: { definition: { action: string } } }) => {
      const m = mark(a?.step?.definition.action)
      if (m) markTimeline(m)
      return handler(a)
    }
  }
  wrap("onBegin", () => "workflow_begin")
  wrap("onStepBegin", (step) => (step === "validate" ? "validate_begin" : step === "authorize-payment-session-step" ? "authorization_begin" : null))
  wrap("onStepSuccess", (step) => (step === "validate" ? "validate_end" : null))
  wrap("onFinish", () => "workflow_finish")
  return events
}
/** Segments between the marks (and the request's start and response), ms. */
const SEGMENTS: [string, string, string][] = [
  ["request_to_workflow", "start", "workflow_begin"],
  ["workflow_to_validate", "workflow_begin", "validate_begin"],
  ["validate_hook", "validate_begin", "validate_end"],
  ["validate_to_authorization", "validate_end", "authorization_begin"],
  ["authorization_to_finish", "authorization_begin", "workflow_finish"],
  ["finish_to_response", "workflow_finish", "response"],
]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    it("times cart completion with and without fraud screening", async () => {
      const container = getContainer()
      const store = await createTestStore(container)
      const admin = await adminHeaders(api, container)
      // A realistic rule set: evaluated on every screened checkout.
      const rules = [
        { name: "Big orders", action: "hold", conditions: [{ field: "order.total", operator: "gte", value: 5000 }] },
        { name: "Mismatch", action: "hold", conditions: [{ field: "billing_country_mismatch", operator: "eq", value: true }] },
        { name: "Velocity", action: "block", conditions: [{ field: "ip.failed_payments_last_1h", operator: "gte", value: 50 }] },
        { name: "Welcome abuse", action: "block", conditions: [{ field: "linked_account_redeemed_first_order", operator: "eq", value: true }] },
        { name: "Blocklist", action: "block", conditions: [{ field: "email_domain", operator: "in", value: ["mailinator.com", "guerrillamail.com"] }] },
      ]
      for (const rule of rules) await api.post("/admin/fraud/rules", rule, admin)
      const fraud = container.resolve("upliftFraud") as { enabled: boolean; phaseTimings: Record<string, number[]> | null }
      const address = { first_name: "B", last_name: "Ench", address_1: "1 Main St", city: "Cincinnati", country_code: "us", postal_code: "45202" }

      // A pool of logged-in shoppers, each checking out again and again (a login per checkout would spend
      // the bench's time hashing passwords); both sides draw from the same pool.
      const shoppers: { email: string; headers: Record<string, string> }[] = []
      for (let i = 0; i < SHOPPERS; i++) {
        const email = `bench-${i}@uplift.test`
        shoppers.push({ email, headers: (await customerHeaders(api, store.publishableKey, email)).headers })
      }
      const prepare = async (k: number) => {
        const { email, headers } = shoppers[k % SHOPPERS]
        const config = { headers: { ...headers, "x-device-id": `device-${k % SHOPPERS}` } }
        const cartId = await createCart(api, store, config.headers, [{ variant_id: store.variantIds[k % store.variantIds.length], quantity: 1 }])
        await api.post(`/store/carts/${cartId}`, { email, shipping_address: address, billing_address: address }, config)
        await api.post(`/store/carts/${cartId}/shipping-methods`, { option_id: store.shippingOptionId }, config)
        const { data } = await api.post("/store/payment-collections", { cart_id: cartId }, config)
        await api.post(`/store/payment-collections/${data.payment_collection.id}/payment-sessions`, { provider_id: "pp_system_default" }, config)
        return { cartId, config }
      }
      const complete = async (k: number, screened: boolean) => {
        const { cartId, config } = await prepare(k)
        await new Promise((r) => setTimeout(r, 150)) // let subscribers of the preparation settle
        fraud.enabled = screened
        const t = process.hrtime.bigint()
        timeline = { t0: t, marks: {} }
        const { data } = await api.post(`/store/carts/${cartId}/complete`, {}, config)
        const ms = Number(process.hrtime.bigint() - t) / 1e6
        const marks: Record<string, number | undefined> = { start: 0, ...timeline.marks, response: ms }
        timeline = null
        fraud.enabled = true
        if (data.type !== "order") throw new Error(`checkout ${k} did not place an order`)
        for (const [name, from, to] of SEGMENTS) {
          if (marks[from] !== undefined && marks[to] !== undefined) (segments[screened ? "with" : "without"][name] ??= []).push(marks[to]! - marks[from]!)
        }
        return ms
      }
      const segments: Record<"with" | "without", Record<string, number[]>> = { with: {}, without: {} }

      for (let k = 0; k < WARMUP; k++) await complete(1_000 + k, k % 2 === 0)
      segments.with = {}
      segments.without = {}
      // The split of the added time: each phase of the screened checkouts (FraudModuleService.timePhase).
      fraud.phaseTimings = {}
      const withFraud: number[] = []
      const withoutFraud: number[] = []
      // BENCH_UNTIL (a time): stop timing there with the pairs done so far (a busy machine), reported as pairs.
      const until = process.env.BENCH_UNTIL ? new Date(process.env.BENCH_UNTIL).getTime() : Infinity
      let pairs = 0
      for (let k = 0; k < PAIRS && Date.now() < until; k++, pairs++) {
        // Alternate which side goes first so drift hits both equally.
        const order = k % 2 === 0 ? [true, false] : [false, true]
        for (const screened of order) (screened ? withFraud : withoutFraud).push(await complete(k, screened))
        if (process.env.BENCH_PROGRESS && (k + 1) % 5 === 0) {
          fs.appendFileSync(process.env.BENCH_PROGRESS, `${new Date().toISOString()} ${k + 1}/${PAIRS} pairs: medians ${median(withFraud).toFixed(1)} / ${median(withoutFraud).toFixed(1)} ms\n`)
        }
      }
      const phases = Object.fromEntries(Object.entries(fraud.phaseTimings).map(([phase, ms]) => [phase, median(ms)]))
      // Where on the checkout's timeline the added time lands: each segment's median with and without screening.
      const timelineSplit = Object.fromEntries(
        SEGMENTS.filter(([name]) => segments.with[name]?.length && segments.without[name]?.length).map(([name]) => [name, { with: median(segments.with[name]), without: median(segments.without[name]) }])
      )
      fraud.phaseTimings = null
      fs.writeFileSync(process.env.BENCH_OUT ?? "/tmp/bench-checkout-fraud.json", JSON.stringify({ with_ms: median(withFraud), without_ms: median(withoutFraud), pairs, phases, timeline: timelineSplit }))
    })
  },
})
