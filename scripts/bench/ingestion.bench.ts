/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import * as fs from "fs"
import { Session } from "inspector"
import IORedis from "ioredis"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { createTestStore, TestStore } from "../../integration-tests/helpers/store"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import { median } from "../lib/stats"

jest.setTimeout(900_000)

const EVENTS = Number(process.env.BENCH_EVENTS ?? 4_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
// Before each timed phase the queues are idle and the store rests this long: what a phase leaves behind
// (Postgres autovacuum after thousands of inserts, the query graph's garbage) is not timed in the next one.
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1_000)
// Also times each round's ingestion with the carts read through the query graph (ingestionCartReads "query").
const COMPARE_READS = process.env.BENCH_INGESTION_COMPARE_READS !== "0"
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/10"
// The runner reads medusa-config before applying its `env` option.
process.env.REDIS_URL = REDIS_URL
// The event bus's workers: events handled at once, and so the largest batch the plugin's subscribers form.
process.env.EVENT_BUS_CONCURRENCY ??= "64"
process.env.UPLIFT_QUEUE_PREFIX = `{uplift-bench-${process.pid}}`

// A path prefix: each round of the event bus alone and of ingestion (the default cart read) is profiled alone,
// to <prefix>.noop.round<n>.cpuprofile and <prefix>.ingestion.round<n>.cpuprofile.
const CPU_PROFILE = process.env.BENCH_CPU_PROFILE
const NOOP_EVENT = "uplift-bench.noop"
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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

/** Events per second and this process's CPU time per event (steadier than wall time on a shared machine). */
interface RoundFigures {
  perSecond: number
  cpuMsPerEvent: number
}

/** Times `run` from its start until it resolves. */
async function timedRound(run: () => Promise<void>): Promise<RoundFigures> {
  const cpuBefore = process.cpuUsage()
  const started = process.hrtime.bigint()
  await run()
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const cpu = process.cpuUsage(cpuBefore)
  return { perSecond: EVENTS / seconds, cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / EVENTS }
}

/** Runs `run` under V8's sampling profiler and writes the profile to `file`. */
async function profiled<T>(file: string, run: () => Promise<T>): Promise<T> {
  const session = new Session()
  session.connect()
  const post = (method: string) => new Promise<any>((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))))
  await post("Profiler.enable")
  await post("Profiler.start")
  try {
    return await run()
  } finally {
    fs.writeFileSync(file, JSON.stringify((await post("Profiler.stop")).profile))
    session.disconnect()
  }
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("ingests cart events end to end (event bus -> subscriber -> queue -> Postgres) against a subscriber that does nothing", async () => {
      const container = getContainer()
      const store = await createTestStore(container)
      const eventBus = container.resolve(Modules.EVENT_BUS)
      const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const cartRows = async () => Number((await db("uplift_interaction").where({ kind: "cart_item" }).count({ n: "*" }))[0].n)

      let noopRuns = 0
      let noopTarget = Infinity
      let noopDone = () => undefined as void
      eventBus.subscribe(NOOP_EVENT, async () => {
        if (++noopRuns >= noopTarget) noopDone()
      }, { subscriberId: "uplift-bench-noop" })

      /** The event bus alone: events to a subscriber that does nothing, from emit to the last one run. */
      const noopRound = () => {
        noopRuns = 0
        noopTarget = EVENTS
        const finished = new Promise<void>((resolve) => (noopDone = resolve))
        return timedRound(async () => {
          await eventBus.emit(Array.from({ length: EVENTS }, (_, i) => ({ name: NOOP_EVENT, data: { id: `noop_${i}` } })))
          await finished
        })
      }

      /** cart.updated for fresh carts of one line each, from emit to the last row stored. */
      const ingestionRound = async (carts: { id: string }[]) => {
        const before = await cartRows()
        return timedRound(async () => {
          await eventBus.emit(carts.map((cart) => ({ name: "cart.updated", data: { id: cart.id } })))
          // A count of the growing table costs Postgres CPU that the event bus alone does not pay: every 100 ms
          // until the last tenth of the round, then every 10 ms.
          for (let rows = await cartRows(); rows < before + EVENTS; rows = await cartRows()) {
            await sleep(before + EVENTS - rows > EVENTS / 10 ? 100 : 10)
          }
        })
      }

      // The cart reads side by side: the plugin's default (`tables`) and the query graph, taking turns first.
      const options = container.resolve<any>(UPLIFT_MODULE).options
      const modes = COMPARE_READS ? ["tables", "query"] : ["tables"]
      const noop: RoundFigures[] = []
      const ingested: Record<string, RoundFigures[]> = { tables: [], query: [] }
      let firstCarts: { id: string }[] = []
      let batch = 0
      const settle = async () => {
        await idle(container)
        await sleep(SETTLE_MS)
      }
      for (let round = 0; round < ROUNDS; round++) {
        await settle()
        noop.push(await (CPU_PROFILE ? profiled(`${CPU_PROFILE}.noop.round${round + 1}.cpuprofile`, noopRound) : noopRound()))
        for (const mode of round % 2 ? [...modes].reverse() : modes) {
          const carts = await createCarts(container, store, batch++)
          if (!firstCarts.length) firstCarts = carts
          await settle()
          options.ingestionCartReads = mode
          const run = () => ingestionRound(carts)
          ingested[mode].push(await (CPU_PROFILE && mode === "tables" ? profiled(`${CPU_PROFILE}.ingestion.round${round + 1}.cpuprofile`, run) : run()))
        }
      }
      options.ingestionCartReads = "tables"

      // Every event once: nothing lost, nothing doubled, then the first round's events delivered again.
      await idle(container)
      const afterRounds = await cartRows()
      await eventBus.emit(firstCarts.map((cart) => ({ name: "cart.updated", data: { id: cart.id } })))
      await idle(container)
      const afterRedelivery = await cartRows()
      const sent = EVENTS * ROUNDS * modes.length

      fs.writeFileSync(
        process.env.BENCH_OUT!,
        JSON.stringify({
          events: EVENTS,
          rounds: ROUNDS,
          event_bus_concurrency: Number(process.env.EVENT_BUS_CONCURRENCY),
          events_per_second: median(ingested.tables.map((r) => r.perSecond)),
          noop_per_second: median(noop.map((r) => r.perSecond)),
          ingestion_cpu_ms_per_event: median(ingested.tables.map((r) => r.cpuMsPerEvent)),
          noop_cpu_ms_per_event: median(noop.map((r) => r.cpuMsPerEvent)),
          query_reads: COMPARE_READS
            ? { events_per_second: median(ingested.query.map((r) => r.perSecond)), cpu_ms_per_event: median(ingested.query.map((r) => r.cpuMsPerEvent)) }
            : null,
          rounds_detail: { ingested: ingested.tables, ingested_query_reads: ingested.query, noop },
          events_sent: sent,
          rows_missing: Math.max(0, sent - afterRounds),
          rows_extra: Math.max(0, afterRounds - sent),
          rows_added_by_redelivery: afterRedelivery - afterRounds,
          redis_ops_per_second: await redisOpsPerSecond(),
        })
      )
    })
  },
})

async function createCarts(container: MedusaContainer, store: TestStore, round: number): Promise<{ id: string }[]> {
  return container.resolve(Modules.CART).createCarts(
    Array.from({ length: EVENTS }, (_, i) => ({
      currency_code: "usd",
      region_id: store.regionId,
      customer_id: `bench_customer_${round}_${i}`,
      items: [{ title: "Bench item", quantity: 1 + (i % 3), unit_price: 20, variant_id: store.variantIds[0], product_id: store.productIds[0] }],
    }))
  )
}

/** Waits until the event bus and the plugin's events queue have nothing waiting or running. */
async function idle(container: MedusaContainer): Promise<void> {
  const eventBusQueue = (container.resolve(Modules.EVENT_BUS) as any).queue_
  const upliftQueue = container.resolve<any>(UPLIFT_MODULE).eventsQueue.bullQueue
  const busy = async () => {
    const counts = await Promise.all([eventBusQueue, upliftQueue].map((queue) => queue.getJobCounts("waiting", "active", "delayed", "prioritized")))
    return counts.some((count: Record<string, number>) => Object.values(count).some((n) => n > 0))
  }
  let quiet = 0
  while (quiet < 3) {
    quiet = (await busy()) ? 0 : quiet + 1
    await sleep(200)
  }
}
