import { Job, Queue, Worker } from "bullmq"
import IORedis, { RedisOptions } from "ioredis"
import { hostname } from "os"
import { withTimeout } from "../../../lib/timeout"

export type JobProcessor = (name: string, data: Record<string, unknown>) => Promise<unknown>

export interface JobQueueLogger {
  info(message: string): void
  warn(message: string): void
  error(message: string, error?: unknown): void
}

export interface JobQueueConfig {
  queueName: string
  /** Without a Redis URL jobs run in this process. */
  redisUrl?: string
  /** A Redis Cluster hash tag such as `{uplift}` so all keys of the queue share one slot. */
  prefix: string
  /** A producer waits at most this long for Redis, then runs the job in-process instead. */
  timeoutMs: number
  concurrency: number
  attempts: number
  logger: JobQueueLogger
  outbox?: JobOutbox
  /** How long a worker holds a job before others may take it over (a crashed worker's jobs are retried then). */
  lockDurationMs?: number
  stalledIntervalMs?: number
}

/** Where jobs go while Redis is down, to be delivered when it returns (the plugin's Postgres outbox). */
export interface JobOutbox {
  save(queueName: string, name: string, data: Record<string, unknown>, jobId: string): Promise<void>
}

/** What becomes of a job when jobs are rewritten (e.g. an erased customer's data taken out). */
export type JobRewriteResult = { action: "keep" } | { action: "remove" } | { action: "update"; data: Record<string, unknown> }

/** Every state in which a job sits in Redis without a worker holding it. */
const RESTING_STATES = ["waiting", "delayed", "prioritized", "waiting-children", "completed", "failed"] as const
const REWRITE_PAGE = 500

export interface AddJobOptions {
  /** Jobs with the same id are run once: BullMQ ignores a duplicate id, the in-process runner too. */
  jobId: string
}

/**
 * The plugin's queue: BullMQ on Redis when configured, otherwise an in-process runner with the same
 * contract. Producers never hang a request: a Redis fault falls back to in-process execution.
 */
export class JobQueue {
  private readonly config: JobQueueConfig
  private processor?: JobProcessor
  private producer?: Queue
  private worker?: Worker
  private readonly connections: IORedis[] = []
  private readonly inProcessSeen = new Set<string>()
  private readonly pending = new Set<Promise<unknown>>()

  constructor(config: JobQueueConfig) {
    this.config = config
    if (config.redisUrl) {
      this.producer = new Queue(config.queueName, {
        prefix: config.prefix,
        connection: this.connect({ enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
        defaultJobOptions: {
          attempts: config.attempts,
          backoff: { type: "exponential", delay: 1_000 },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })
      this.producer.on("error", (error) => config.logger.warn(`medusa-uplift queue ${config.queueName}: ${error.message}`))
    }
  }

  get name(): string {
    return this.config.queueName
  }

  get usesRedis(): boolean {
    return Boolean(this.producer)
  }

  get bullQueue(): Queue | undefined {
    return this.producer
  }

  /** Registers the function that runs jobs; with Redis, also starts a BullMQ worker in this process. */
  startProcessing(processor: JobProcessor, { runWorker }: { runWorker: boolean }): void {
    this.processor = processor
    if (!this.config.redisUrl || !runWorker || this.worker) {
      return
    }
    this.worker = new Worker(this.config.queueName, (job: Job) => processor(job.name, job.data), {
      // Stored on each job it runs (processedBy): which process ran a job, for operators and the scale-out bench.
      name: `${hostname()}:${process.pid}`,
      prefix: this.config.prefix,
      connection: this.connect({ maxRetriesPerRequest: null }),
      concurrency: this.config.concurrency,
      lockDuration: this.config.lockDurationMs ?? 30_000,
      stalledInterval: this.config.stalledIntervalMs ?? 30_000,
    })
    this.worker.on("error", (error) => this.config.logger.warn(`medusa-uplift worker ${this.config.queueName}: ${error.message}`))
    this.worker.on("failed", (job, error) =>
      this.config.logger.warn(`medusa-uplift job ${job?.name}#${job?.id} failed: ${error.message}`)
    )
  }

  /**
   * Queues a job. When Redis does not answer in time the job goes to the outbox (delivered when Redis
   * returns); without an outbox, or if that fails too, it runs in this process. A job is never dropped.
   */
  async add(name: string, data: Record<string, unknown>, options: AddJobOptions): Promise<void> {
    if (this.producer) {
      try {
        await this.addToRedis(name, data, options.jobId)
        return
      } catch (error) {
        if (await this.saveToOutbox(name, data, options.jobId, error as Error)) {
          return
        }
      }
    }
    this.runInProcess(name, data, options.jobId)
  }

  /** Adds straight to Redis, throwing when it is unavailable (the outbox relay uses this). */
  async addToRedis(name: string, data: Record<string, unknown>, jobId: string): Promise<void> {
    if (!this.producer) {
      throw new Error(`queue ${this.config.queueName} has no Redis connection`)
    }
    await withTimeout(this.producer.add(name, data, { jobId: safeJobId(jobId) }), this.config.timeoutMs)
  }

  private async saveToOutbox(name: string, data: Record<string, unknown>, jobId: string, cause: Error): Promise<boolean> {
    if (!this.config.outbox) {
      this.config.logger.warn(`medusa-uplift: Redis unavailable for queue ${this.config.queueName} (${cause.message}); running ${name} in-process`)
      return false
    }
    try {
      await this.config.outbox.save(this.config.queueName, name, data, jobId)
      this.config.logger.warn(`medusa-uplift: Redis unavailable for queue ${this.config.queueName} (${cause.message}); ${name} kept in the outbox`)
      return true
    } catch (error) {
      this.config.logger.error(`medusa-uplift: outbox write failed (${(error as Error).message}); running ${name} in-process`)
      return false
    }
  }

  /**
   * Rewrites or removes the jobs no worker holds right now; returns how many changed. A job that a worker
   * takes meanwhile cannot be changed: the caller must make running it harmless (the erasure tombstone).
   */
  async rewriteJobs(rewrite: (name: string, data: Record<string, unknown>) => JobRewriteResult): Promise<number> {
    if (!this.producer) return 0
    const changes: { job: Job; result: JobRewriteResult }[] = []
    for (const state of RESTING_STATES) {
      for (let start = 0; ; start += REWRITE_PAGE) {
        const jobs = await this.producer.getJobs([state], start, start + REWRITE_PAGE - 1, true)
        for (const job of jobs) {
          const result = job ? rewrite(job.name, job.data ?? {}) : { action: "keep" as const }
          if (job && result.action !== "keep") changes.push({ job, result })
        }
        if (jobs.length < REWRITE_PAGE) break
      }
    }
    let changed = 0
    for (const { job, result } of changes) {
      try {
        await (result.action === "update" ? job.updateData(result.data) : job.remove())
        changed++
      } catch (error) {
        this.config.logger.warn(`medusa-uplift: job ${job.name}#${job.id} could not be rewritten (${(error as Error).message})`)
      }
    }
    return changed
  }

  /**
   * Removes BullMQ job schedulers by id (the plugin's schedules were BullMQ job schedulers before they
   * became one Medusa scheduled job; an upgraded Redis still holds them). Returns how many existed.
   */
  async removeSchedulers(schedulerIds: string[]): Promise<number> {
    if (!this.producer) return 0
    let removed = 0
    for (const id of schedulerIds) {
      if (await withTimeout(this.producer.removeJobScheduler(id), this.config.timeoutMs)) removed++
    }
    return removed
  }

  /** Resolves when the in-process jobs started so far have finished (tests, shutdown). */
  async drainInProcess(): Promise<void> {
    while (this.pending.size) {
      await Promise.allSettled([...this.pending])
    }
  }

  async close(): Promise<void> {
    const bounded = (promise?: Promise<unknown>) => withTimeout(promise ?? Promise.resolve(), this.config.timeoutMs * 5).catch(() => undefined)
    await bounded(this.worker?.close())
    await bounded(this.producer?.close())
    for (const connection of this.connections) {
      if (connection.status === "ready") {
        await bounded(connection.quit())
      }
      connection.disconnect()
    }
    await this.drainInProcess()
  }

  private runInProcess(name: string, data: Record<string, unknown>, jobId: string): void {
    if (this.inProcessSeen.has(jobId)) {
      return
    }
    rememberBounded(this.inProcessSeen, jobId, 50_000)
    const run = this.runWithRetries(name, data).finally(() => this.pending.delete(run))
    this.pending.add(run)
  }

  private async runWithRetries(name: string, data: Record<string, unknown>): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    for (let attempt = 1; attempt <= this.config.attempts; attempt++) {
      try {
        if (!this.processor) {
          throw new Error("no processor registered")
        }
        await this.processor(name, data)
        return
      } catch (error) {
        if (attempt === this.config.attempts) {
          this.config.logger.error(`medusa-uplift in-process job ${name} failed: ${(error as Error).message}`, error)
        }
      }
    }
  }

  private connect(overrides: RedisOptions): IORedis {
    const connection = new IORedis(this.config.redisUrl as string, {
      connectTimeout: this.config.timeoutMs,
      ...overrides,
    })
    connection.on("error", () => undefined)
    this.connections.push(connection)
    return connection
  }
}

/** BullMQ reserves ':' in custom job ids. */
function safeJobId(jobId: string): string {
  return jobId.replace(/:/g, "|")
}

function rememberBounded(set: Set<string>, value: string, limit: number): void {
  set.add(value)
  if (set.size > limit) {
    set.delete(set.values().next().value as string)
  }
}
