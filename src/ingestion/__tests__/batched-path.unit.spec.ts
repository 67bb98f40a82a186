import { MicroBatcher } from "../micro-batcher"
import { cartInteractions, CartSnapshot } from "../normalize"
import { JobQueue } from "../../modules/uplift/queue/job-queue"
import { interactionBatchJob } from "../../modules/uplift/queue/batch-job"
import { storeOrQueue } from "../enqueue"
import type { InteractionInput } from "../../modules/uplift/types"

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The cart of event i: one line, quantity 1-3, as the query graph reads it. */
const cart = (i: number): CartSnapshot => ({
  id: `cart_${i}`,
  customer_id: `cus_${i}`,
  currency_code: "usd",
  items: [{ id: `li_${i}`, product_id: "prod_1", variant_id: "var_1", quantity: 1 + (i % 3), unit_price: 20 }],
})

/**
 * The batched path as src/ingestion/record.ts runs it, without Medusa: concurrent subscribers submit events
 * to the micro-batcher, each batch becomes one ingestion job (interactionBatchJob) on the plugin's queue
 * (JobQueue without Redis: its in-process runner, same job-id contract as BullMQ), and the job's records
 * reach the writer. Counts how often each interaction reaches the writer.
 */
function batchedPath(options: { maxSize: number; lingerMs: number }) {
  const written = new Map<string, number>()
  const jobs: string[] = []
  const queue = new JobQueue({ queueName: "unit-ingest", prefix: "{unit}", timeoutMs: 100, concurrency: 8, attempts: 3, logger: quiet })
  queue.startProcessing(async (_name, data) => {
    for (const record of data.records as InteractionInput[]) written.set(record.dedupe_key, (written.get(record.dedupe_key) ?? 0) + 1)
  }, { runWorker: false })
  const batcher = new MicroBatcher<number>(async (events) => {
    const job = interactionBatchJob(events.flatMap((i) => cartInteractions(cart(i), new Date(0))))
    jobs.push(job.jobId)
    await queue.add("ingest-interactions", { records: job.records }, { jobId: job.jobId })
  }, options)
  return { written, jobs, queue, submit: (i: number) => batcher.submit(i) }
}

/**
 * The cart events' path: each batch is stored at once by the subscriber (storeOrQueue); a batch the store
 * refuses (Postgres unreachable: it throws before writing) goes to the queue as its ingestion job instead.
 */
function storedPath(options: { maxSize: number; lingerMs: number }, refuses: (batch: number) => boolean) {
  const written = new Map<string, number>()
  const write = (records: InteractionInput[]) => records.forEach((record) => written.set(record.dedupe_key, (written.get(record.dedupe_key) ?? 0) + 1))
  const queue = new JobQueue({ queueName: "unit-store", prefix: "{unit}", timeoutMs: 100, concurrency: 8, attempts: 3, logger: quiet })
  queue.startProcessing(async (_name, data) => write(data.records as InteractionInput[]), { runWorker: false })
  let batches = 0
  const warnings: string[] = []
  const batcher = new MicroBatcher<number>(async (events) => {
    const batch = batches++
    const records = [...new Map(events.flatMap((i) => cartInteractions(cart(i), new Date(0))).map((record) => [record.dedupe_key, record])).values()]
    await storeOrQueue(records, {
      store: async (stored) => {
        if (refuses(batch)) throw new Error("connect ECONNREFUSED 127.0.0.1:5432")
        write(stored)
      },
      enqueue: async (queued) => {
        const job = interactionBatchJob(queued)
        await queue.add("ingest-interactions", { records: job.records }, { jobId: job.jobId })
      },
      warn: (message) => warnings.push(message),
    })
  }, options)
  return { written, warnings, queue, batches: () => batches, submit: (i: number) => batcher.submit(i) }
}

describe("the batched ingestion path", () => {
  it("hands each event's interaction to the writer once, however the events fall into batches", async () => {
    const path = batchedPath({ maxSize: 64, lingerMs: 2 })
    const events = Array.from({ length: 2_000 }, (_, i) => i)
    // Subscribers arrive in bursts of different sizes with pauses between them, as the event bus hands them over.
    const submitted: Promise<void>[] = []
    for (let next = 0; next < events.length; ) {
      const burst = 1 + ((next * 7) % 97)
      for (const i of events.slice(next, next + burst)) submitted.push(path.submit(i))
      next += burst
      await sleep(next % 3)
    }
    await Promise.all(submitted)
    await path.queue.drainInProcess()
    expect(path.jobs.length).toBeGreaterThan(2_000 / 64)
    expect(path.written.size).toBe(2_000)
    expect([...path.written.values()].every((times) => times === 1)).toBe(true)
  })

  it("stores an event repeated within a batch once, and runs a redelivered batch's job once", async () => {
    const path = batchedPath({ maxSize: 10, lingerMs: 60_000 })
    // cart.created and cart.updated of cart 1 in one batch, with cart 2..9: nine interactions.
    await Promise.all([1, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(path.submit))
    // The same ten events delivered again, in another order: the same job id, so no second run.
    await Promise.all([9, 8, 7, 6, 5, 4, 3, 2, 1, 1].map(path.submit))
    await path.queue.drainInProcess()
    expect(path.jobs).toHaveLength(2)
    expect(path.jobs[0]).toBe(path.jobs[1])
    expect(path.written.size).toBe(9)
    expect([...path.written.values()].every((times) => times === 1)).toBe(true)
  })

  it("stores each cart event's interaction once when batches are stored at once, and queues a batch the store refuses", async () => {
    const path = storedPath({ maxSize: 64, lingerMs: 2 }, (batch) => batch % 3 === 1)
    const submitted: Promise<void>[] = []
    for (let next = 0; next < 2_000; ) {
      const burst = 1 + ((next * 7) % 97)
      for (let i = next; i < Math.min(next + burst, 2_000); i++) submitted.push(path.submit(i))
      next += burst
      await sleep(next % 3)
    }
    await Promise.all(submitted)
    await path.queue.drainInProcess()
    expect(path.batches()).toBeGreaterThan(2_000 / 64)
    expect(path.warnings.length).toBeGreaterThan(0)
    expect(path.written.size).toBe(2_000)
    expect([...path.written.values()].every((times) => times === 1)).toBe(true)
  })
})
