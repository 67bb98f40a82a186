/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { spawn } from "child_process"
import path from "path"
import IORedis from "ioredis"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, customerHeaders } from "../helpers/auth"
import { completeAgain, placeOrder, shopper } from "../helpers/fraud"
import { checkout, createCart, createTestStore, eventually, storefront, TestStore } from "../helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { hashIdentifier } from "../../src/lib/hashing"
import { DEFAULT_HASH_SALT } from "../../src/lib/options"
import { JOB_NAMES } from "../../src/modules/uplift/types"

jest.setTimeout(240_000)

// The runner reads medusa-config before applying its `env` option, so the setup is set here.
const REDIS_URL = process.env.UPLIFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/9"
const QUEUE_PREFIX = `{uplift-privacy-${process.pid}}`
process.env.REDIS_URL = REDIS_URL
process.env.UPLIFT_QUEUE_PREFIX = QUEUE_PREFIX
// No proxy in front of this store: an X-Forwarded-For header comes from the client itself.
process.env.UPLIFT_TRUST_PROXY = "false"
process.env.UPLIFT_PROFILE_ATTRIBUTES = "age_band"

const ROOT = path.resolve(__dirname, "../..")

describe("hashing salt", () => {
  it("an unsafe salt refuses the boot in production, naming the option", async () => {
    // The public default set explicitly: Medusa loads .env without overriding what is set, and `npm run demo`
    // writes a real UPLIFT_HASH_SALT there, which would otherwise make this boot go on.
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", DATABASE_URL: "postgres://postgres@localhost:5432/postgres", REDIS_URL: "", UPLIFT_REDIS_URL: "", MEDUSA_DISABLE_ADMIN: "true", PORT: "0", UPLIFT_HASH_SALT: DEFAULT_HASH_SALT }
    delete env.NODE_OPTIONS
    const { code, output } = await run(path.join(ROOT, "node_modules/.bin/medusa"), ["start"], env)
    expect(code).not.toBe(0)
    expect(output).toContain('invalid plugin option "hashSalt"')
  })
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    afterAll(() => {
      for (const name of ["REDIS_URL", "UPLIFT_QUEUE_PREFIX", "UPLIFT_TRUST_PROXY", "UPLIFT_PROFILE_ATTRIBUTES"]) delete process.env[name]
    })

    let store: TestStore
    let admin: { headers: Record<string, string> }
    const db = () => getContainer().resolve<any>("__pg_connection__")
    const salt = () => getContainer().resolve<any>(UPLIFT_MODULE).options.hashSalt as string
    const signalOf = async (cartId: string) => (await db()("uplift_fraud_client_signal").where({ cart_id: cartId }))[0] ?? null
    const { config: storeConfig } = storefront(api, () => store)
    const completeAs = (cartId: string, headers: Record<string, string>) =>
      api.post(`/store/carts/${cartId}/complete`, {}, storeConfig(headers)).catch((error: any) => error.response)

    beforeEach(async () => {
      store = await createTestStore(getContainer())
      admin = await adminHeaders(api, getContainer())
    })

    it("ignores client signals written for someone else's cart, and keeps the owner's", async () => {
      const victim = await shopper(api, store, "victim@uplift.test", "victim-device")
      const victimCart = await createCart(api, store, victim.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const attacker = await customerHeaders(api, store.publishableKey, "attacker@uplift.test")

      await completeAs(victimCart, { ...attacker.headers, "x-device-id": "attacker-device" })
      await completeAs(victimCart, { "x-device-id": "anonymous-device" })
      expect(await signalOf(victimCart)).toBeNull()

      await checkout(api, store, victimCart, victim.headers, victim.email)
      expect((await signalOf(victimCart)).device_hash).toBe(hashIdentifier("victim-device", salt()))
    })

    it("does not store a spoofed X-Forwarded-For as the client IP when no proxy is trusted", async () => {
      const guestCart = await createCart(api, store, {}, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await completeAs(guestCart, { "x-forwarded-for": "203.0.113.7" })
      // The checkout stops before screening (no payment), which is what awaits the capture: it lands just after.
      const signal = await eventually(() => signalOf(guestCart), (row) => row !== null)
      expect(signal.ip_hash).not.toBe(hashIdentifier("203.0.113.7", salt()))
      expect([hashIdentifier("127.0.0.1", salt()), hashIdentifier("::1", salt())]).toContain(signal.ip_hash)
    })

    it("stops taking a cart's signals once it is over the rate limit", async () => {
      const guestCart = await createCart(api, store, {}, [{ variant_id: store.variantIds[0], quantity: 1 }])
      const secondsIntoWindow = (Date.now() / 1_000) % 60
      if (secondsIntoWindow > 40) await new Promise((resolve) => setTimeout(resolve, (61 - secondsIntoWindow) * 1_000))
      for (let attempt = 1; attempt <= 12; attempt++) await completeAs(guestCart, { "x-device-id": `device-${attempt}` })
      const stored = async () => (await signalOf(guestCart))?.device_hash
      expect(await eventually(stored, (hash) => hash === hashIdentifier("device-10", salt()))).toBe(hashIdentifier("device-10", salt()))
    })

    it("counts linked accounts only within the window", async () => {
      const recent = { cart_id: "cart_recent", customer_id: "cus_recent", created_at: new Date(Date.now() - 86_400_000) }
      const old = { cart_id: "cart_old", customer_id: "cus_old", created_at: new Date(Date.now() - 60 * 86_400_000) }
      const deviceHash = hashIdentifier("shared-device", salt())
      for (const row of [recent, old]) {
        await db()("uplift_fraud_assessment").insert({ id: `fasm_${row.cart_id}`, ...row, device_hash: deviceHash, amount: 1, decision: "allow", reason: "seeded", facts: "[]", signals: "{}" })
      }
      const buyer = await shopper(api, store, "linked@uplift.test", "shared-device")
      const placed = await placeOrder(api, store, buyer)
      const [assessment] = (await api.get(`/admin/fraud/assessments?cart_id=${placed.cartId}`, admin)).data.assessments
      expect(assessment.signals.accounts_per_device).toBe(2)
    })

    it("keeps only the customer metadata keys the merchant selected in profiles", async () => {
      const customer = await customerHeaders(api, store.publishableKey, "metadata@uplift.test")
      await api.post(`/admin/customers/${customer.customerId}`, { metadata: { age_band: "35-44", support_note: "called about a refund" } }, admin)
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      const [profile] = await eventually(
        () => uplift.listCustomerProfiles({ customer_id: customer.customerId }),
        (rows: any[]) => rows[0]?.attributes?.age_band === "35-44"
      )
      expect(profile.attributes).not.toHaveProperty("support_note")
    })

    it("erasure with a queued job leaves nothing", async () => {
      const customer = await shopper(api, store, "erase.queued@uplift.test", "erase-device")
      const cartId = await createCart(api, store, customer.headers, [{ variant_id: store.variantIds[0], quantity: 1 }])
      await checkout(api, store, cartId, customer.headers, customer.email)
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      const rowsOf = async () => ({
        interactions: (await db()("uplift_interaction").where({ customer_id: customer.customerId })).length,
        profiles: (await db()("uplift_customer_profile").where({ customer_id: customer.customerId })).length,
        assessments: (await db()("uplift_fraud_assessment").where({ customer_id: customer.customerId })).length,
        signals: (await db()("uplift_fraud_client_signal").where({ cart_id: cartId })).length,
        outbox: (await db()("uplift_outbox_job").whereRaw("data::text like ?", [`%${customer.customerId}%`])).length,
      })
      await eventually(rowsOf, (rows) => rows.interactions > 0 && rows.profiles === 1 && rows.signals === 1)

      // A backlog: a delayed job in Redis and a job kept in the outbox while Redis was away, both with the customer's data.
      const late = { dedupe_key: `late:${customer.customerId}`, kind: "purchase", customer_id: customer.customerId, product_id: store.productIds[1], quantity: 1, value: 30, occurred_at: new Date().toISOString() }
      const queue = uplift.eventsQueue.bullQueue
      await queue.add(JOB_NAMES.ingestInteractions, { records: [late] }, { jobId: "backlog-delayed", delay: 60_000 })
      await db()("uplift_outbox_job").insert({ id: "uobx_backlog", queue: queue.name, name: JOB_NAMES.ingestInteractions, job_id: "backlog-outbox", data: JSON.stringify({ records: [late] }) })

      const listener = new IORedis(REDIS_URL)
      const heard: string[] = []
      listener.on("message", (_channel: string, message: string) => heard.push(message))
      await listener.subscribe(`${QUEUE_PREFIX}:customer-erased`)
      try {
        await api.delete(`/admin/customers/${customer.customerId}`, admin)
        await eventually(rowsOf, (rows) => Object.values(rows).every((n) => n === 0))
        await eventually(async () => heard, (ids) => ids.includes(customer.customerId))
      } finally {
        listener.disconnect()
      }
      const jobs = await queue.getJobs(["waiting", "delayed", "prioritized", "completed", "failed"])
      expect(JSON.stringify(jobs.map((job: any) => job.data))).not.toContain(customer.customerId)

      // A job already running when the erasure committed: it finishes after, and inserts nothing.
      await uplift.processJob(JOB_NAMES.ingestInteractions, { records: [late] })
      await uplift.upsertCustomerProfile({ customer_id: customer.customerId, email: customer.email })
      expect(await rowsOf()).toEqual({ interactions: 0, profiles: 0, assessments: 0, signals: 0, outbox: 0 })
    })
  },
})

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk) => (output += chunk))
    child.stderr.on("data", (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000)
    child.on("error", reject)
    child.on("exit", (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}
