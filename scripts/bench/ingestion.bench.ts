/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import * as fs from "fs"
import IORedis from "ioredis"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createTestStore } from "../../integration-tests/helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"

jest.setTimeout(900_000)

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2_000)
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/10"
// The runner reads medusa-config before applying its `env` option.
process.env.REDIS_URL = REDIS_URL
process.env.UPLIFT_QUEUE_PREFIX = `{uplift-bench-${process.pid}}`

/** Raw Redis throughput on this machine: pipelined SETs, the ceiling for anything queued through Redis. */
async function redisOpsPerSecond(): Promise<number> {
  const redis = new IORedis(REDIS_URL)
  const ops = 100_000
  const started = process.hrtime.bigint()
  for (let batch = 0; batch < ops; batch += 1_000) {
    const pipeline = redis.pipeline()
    for (let i = batch; i < batch + 1_000; i++) pipeline.set(`bench:raw:${i}`, "x")
    await pipeline.exec()
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  await redis.quit()
  return ops / seconds
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("ingests cart events end to end: event bus -> subscriber -> BullMQ -> Postgres", async () => {
      const container = getContainer()
      const store = await createTestStore(container)
      const cartModule = container.resolve(Modules.CART)
      const carts = await cartModule.createCarts(
        Array.from({ length: EVENTS }, (_, i) => ({
          currency_code: "usd",
          region_id: store.regionId,
          customer_id: `bench_customer_${i}`,
          items: [{ title: "Bench item", quantity: 1 + (i % 3), unit_price: 20, variant_id: store.variantIds[0], product_id: store.productIds[0] }],
        }))
      )
      const uplift = container.resolve<any>(UPLIFT_MODULE)
      const eventBus = container.resolve(Modules.EVENT_BUS)
      const count = async () => (await uplift.listAndCountInteractions({ kind: "cart_item" }, { take: 1 }))[1]
      const started = process.hrtime.bigint()
      await eventBus.emit(carts.map((cart) => ({ name: "cart.updated", data: { id: cart.id } })))
      while ((await count()) < EVENTS) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const redisOps = await redisOpsPerSecond()
      fs.writeFileSync(process.env.BENCH_OUT!, JSON.stringify({ events: EVENTS, seconds, events_per_second: EVENTS / seconds, redis_ops_per_second: redisOps }))
    })
  },
})
