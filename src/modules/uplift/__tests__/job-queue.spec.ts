import IORedis from "ioredis"
import { withoutCustomer } from "../erasure"
import { JobQueue, JobQueueConfig } from "../queue/job-queue"

jest.setTimeout(30_000)

const REDIS_URL = process.env.UPLIFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/9"
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined }

function queueConfig(overrides: Partial<JobQueueConfig> = {}): JobQueueConfig {
  return {
    queueName: "job-queue-test",
    redisUrl: REDIS_URL,
    prefix: `{uplift-queue-test-${process.pid}-${Date.now()}}`,
    timeoutMs: 500,
    concurrency: 2,
    attempts: 3,
    logger: silent,
    ...overrides,
  }
}

describe("JobQueue on real Redis and BullMQ", () => {
  const queues: JobQueue[] = []
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()))
  })

  it("runs a job once when it is added twice with the same id", async () => {
    const queue = new JobQueue(queueConfig())
    queues.push(queue)
    const runs: unknown[] = []
    queue.startProcessing(async (_name, data) => void runs.push(data), { runWorker: true })
    await queue.add("ingest", { n: 1 }, { jobId: "event:1" })
    await queue.add("ingest", { n: 1 }, { jobId: "event:1" })
    await queue.add("ingest", { n: 2 }, { jobId: "event:2" })
    await waitFor(() => runs.length >= 2)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(runs).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]))
    expect(runs).toHaveLength(2)
  })

  it("retries a failing job with backoff until it succeeds", async () => {
    const queue = new JobQueue(queueConfig())
    queues.push(queue)
    let attempts = 0
    queue.startProcessing(
      async () => {
        attempts++
        if (attempts < 2) throw new Error("transient")
      },
      { runWorker: true }
    )
    await queue.add("flaky", {}, { jobId: "flaky" })
    await waitFor(() => attempts >= 2, 10_000)
    expect(attempts).toBe(2)
  })

  it("does not start a worker in server mode", async () => {
    const queue = new JobQueue(queueConfig())
    queues.push(queue)
    const runs: unknown[] = []
    queue.startProcessing(async (_name, data) => void runs.push(data), { runWorker: false })
    await queue.add("ingest", { n: 1 }, { jobId: "server-mode" })
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(runs).toHaveLength(0)
    expect(await queue.bullQueue!.getWaitingCount()).toBe(1)
  })

  it("removes the job schedulers an earlier version registered, and only those", async () => {
    const queue = new JobQueue(queueConfig())
    queues.push(queue)
    const bull = queue.bullQueue!
    await bull.upsertJobScheduler("retrain-propensity", { pattern: "0 3 * * *" }, { name: "train", data: { model: "propensity" } })
    await bull.upsertJobScheduler("someone-elses", { pattern: "0 4 * * *" }, { name: "other", data: {} })
    expect(await queue.removeSchedulers(["retrain-propensity", "batch-score"])).toBe(1)
    expect((await bull.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual(["someone-elses"])
  })

  it("keeps its keys under the cluster-safe prefix", async () => {
    const config = queueConfig()
    const queue = new JobQueue(config)
    queues.push(queue)
    await queue.add("ingest", {}, { jobId: "prefixed" })
    const redis = new IORedis(REDIS_URL)
    const keys = await redis.keys(`${config.prefix}:*`)
    await redis.quit()
    expect(keys.length).toBeGreaterThan(0)
  })

  it("fails fast when Redis is down and runs the job in-process instead of losing it", async () => {
    const queue = new JobQueue(queueConfig({ redisUrl: "redis://127.0.0.1:6399" }))
    queues.push(queue)
    const runs: unknown[] = []
    queue.startProcessing(async (_name, data) => void runs.push(data), { runWorker: true })
    const started = Date.now()
    await queue.add("ingest", { n: 1 }, { jobId: "offline" })
    expect(Date.now() - started).toBeLessThan(2_000)
    await queue.drainInProcess()
    expect(runs).toEqual([{ n: 1 }])
  })

  it("takes an erased customer's data out of jobs waiting in Redis (records, refreshes, training decisions), leaving others' data", async () => {
    const queue = new JobQueue(queueConfig())
    queues.push(queue)
    const record = (customer_id: string) => ({ dedupe_key: customer_id, customer_id })
    await queue.add("ingest-interactions", { records: [record("cus_gone")] }, { jobId: "only-gone" })
    await queue.add("ingest-interactions", { records: [record("cus_gone"), record("cus_kept")] }, { jobId: "mixed" })
    await queue.add("refresh-customer", { customer_id: "cus_gone" }, { jobId: "refresh" })
    await queue.add("ingest-interactions", { records: [record("cus_kept")] }, { jobId: "other" })
    // A training run carries the logged decisions it learns from (gathered from the discounts module).
    const decision = (customer_id: string) => ({ customer_id, created_at: "2026-11-01T00:00:00.000Z", chosen_percent: 10, propensity: 0.5, basket_value: 20, features: null })
    await queue.add("train", { run_id: "utrn_1", model: "response", decisions: [decision("cus_gone"), decision("cus_kept")] }, { jobId: "train" })
    await queue.add("train", { run_id: "utrn_2", model: "propensity" }, { jobId: "train-other" })
    const changed = await queue.rewriteJobs((name, data) => withoutCustomer(name, data, "cus_gone"))
    expect(changed).toBe(4)
    const left = await queue.bullQueue!.getJobs(["waiting"])
    expect(left.map((job) => job.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { records: [record("cus_kept")] },
      { records: [record("cus_kept")] },
      { run_id: "utrn_1", model: "response", decisions: [decision("cus_kept")] },
      { run_id: "utrn_2", model: "propensity" },
    ])
  })
})

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out")
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
