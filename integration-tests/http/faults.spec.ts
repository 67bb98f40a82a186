import { ChildProcess, spawn } from "child_process"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { customerHeaders } from "../helpers/auth"
import { checkout, createCart, createTestStore, eventually, TestStore } from "../helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"

jest.setTimeout(180_000)

// The plugin's queues get a Redis of their own that the test can stop and start again.
const FAULT_REDIS_PORT = Number(process.env.UPLIFT_FAULT_REDIS_PORT ?? 6391)
process.env.UPLIFT_REDIS_URL = `redis://127.0.0.1:${FAULT_REDIS_PORT}`
process.env.UPLIFT_QUEUE_PREFIX = `{uplift-faults-${process.pid}}`

function startRedis(): Promise<ChildProcess> {
  const server = spawn("redis-server", ["--port", String(FAULT_REDIS_PORT), "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"], { stdio: "pipe" })
  return new Promise((resolve, reject) => {
    server.stdout!.on("data", (chunk) => String(chunk).includes("Ready to accept connections") && resolve(server))
    server.on("error", reject)
    server.on("exit", (code) => code && reject(new Error(`redis-server exited with ${code}`)))
  })
}

let redis: ChildProcess
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => {
  redis?.kill("SIGKILL")
  delete process.env.UPLIFT_REDIS_URL
  delete process.env.UPLIFT_QUEUE_PREFIX
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: TestStore
    beforeEach(async () => {
      store = await createTestStore(getContainer())
    })

    it("keeps checkouts working while Redis is down and delivers the events from the outbox when it returns", async () => {
      const uplift = getContainer().resolve<any>(UPLIFT_MODULE)
      expect((await uplift.status()).queue_mode).toBe("bullmq")
      const shopper = await customerHeaders(api, store.publishableKey, "faults@uplift.test")
      const buy = async () => checkout(api, store, await createCart(api, store, shopper.headers, [{ variant_id: store.variantIds[0], quantity: 1 }]), shopper.headers)

      const before = await buy()
      await eventually(() => uplift.listInteractions({ order_id: before.order.id, kind: "purchase" }), (rows: any[]) => rows.length === 1)

      redis.kill("SIGKILL")
      await new Promise((resolve) => setTimeout(resolve, 500))
      const during = [await buy(), await buy(), await buy()]
      expect(during.every((completion) => completion.type === "order")).toBe(true)
      const duringIds = during.map((completion) => completion.order.id)
      await eventually(() => uplift.listOutboxJobs({}), (rows: any[]) => rows.some((row: any) => row.name === "ingest-interactions"), 30_000)
      expect(await uplift.listInteractions({ order_id: duringIds, kind: "purchase" })).toHaveLength(0)

      redis = await startRedis()
      await eventually(() => uplift.listInteractions({ order_id: duringIds, kind: "purchase" }), (rows: any[]) => rows.length === 3, 60_000)
      await eventually(() => uplift.listOutboxJobs({}), (rows: any[]) => rows.length === 0, 30_000)
    })
  },
})
