import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { Queue } from "bullmq"
import IORedis from "ioredis"
import { Client } from "pg"
import type { BenchResult, BenchSection } from "./types"
import { BENCH_ADMIN } from "./comparison"
import { allPids, cpuMsOf, groupPids, procStat } from "../lib/processes"
import {
  adminHeaders,
  call,
  dbUrl,
  dropDatabase,
  dropIfInterrupted,
  freePort,
  isRunning,
  medusa,
  migrateAndSeed,
  ROOT,
  round,
  sectionLogger,
  Server,
  sleep,
  startServer,
  stopServer,
  storeEnv,
  waitHealthy,
} from "../lib/medusa-store"
import { median } from "../lib/stats"
import { CpuCap, createCpuCap } from "../lib/cpu-cap"
import { entityIdFloor } from "../../src/lib/ids"

/**
 * Medusa's own scale-out, measured: one `medusa start` in server mode (the API, no events) and worker
 * processes (`MEDUSA_WORKER_MODE=worker`: Medusa's Redis event bus workers, the plugin's subscribers and its
 * BullMQ workers), all against one Redis and one Postgres (a throwaway database). `cart.updated` events are
 * emitted into the event bus's Redis queue (by Medusa's own RedisEventBusService, created here in server
 * mode) in chunks of BENCH_SCALE_EMIT_CHUNK, as a store's requests emit them, and timed from the first emit
 * until the last interaction row is in Postgres, with one worker process and with two, in the order one, two,
 * two, one, twice (the second worker is started and stopped twice, a new process each time), so that a drift of
 * the shared machine's load weighs on both sides alike. Each worker first handles BENCH_SCALE_WARMUP
 * events (default 2,000) unmeasured, so that no phase times a cold process. Then a propensity training is requested
 * through the admin API (POST /admin/ml/training-runs) and runs in one of the workers.
 *
 * Each job ran once: rows are counted against the events sent; the event bus's jobs (emitted here with
 * removeOnComplete off, so kept in Redis once completed), in which the plugin's subscriber stores the cart
 * events, must be one per event and must each have been started once (`attemptsStarted`, counted again after
 * a stall); the training job too, and the training run's attempts must be 1. Which process ran each job is
 * read from BullMQ's `processedBy` (the event bus's and the plugin's workers are named host:pid).
 *
 * What a second worker adds on a 2-core machine: each worker runs the event bus with the concurrency a
 * deployment configures per process (EVENT_BUS_CONCURRENCY, the repo's default of 8 here), so a worker has at
 * most that many events in hand, stores them as one batch as soon as all have joined it, and waits on Postgres
 * and Redis round trips for part of each batch; a second worker fills those waits. One worker already keeps
 * about 1.2 of the 2 cores busy (with Postgres, Redis and the bench's emit), so the second one on the same
 * cores adds about a fifth: the second worker belongs on another machine, against the same Redis and Postgres.
 * To show what it adds there, the section then runs its phase order again with each worker process capped
 * at BENCH_SCALE_WORKER_CORES (default 0.25) by a cgroup CPU quota of its own (needs root and the cgroup cpu
 * controller; without them these phases are left out, with a line saying so): the workers, not the shared cores,
 * are then the bound, as on machines of their own. Two capped workers take half a core together, which leaves
 * Postgres, Redis and the emit room on the two cores; at 0.4 cores each they use as much as two uncapped ones.
 *
 * env: BENCH_SCALE_EVENTS (per phase, default 12000; phases under a few seconds measure noise), BENCH_SCALE_CONCURRENCY (event bus concurrency per
 * worker, default 8), BENCH_SCALE_EMIT_CHUNK (events per emit, default 200), BENCH_REDIS_URL (default redis://127.0.0.1:6379/10; its event bus queue must be idle),
 * BENCH_PORT (first of three ports; default: free ones), DB_HOST / DB_USERNAME / DB_PASSWORD, BENCH_KEEP_DB=1.
 */

const EVENTS = Number(process.env.BENCH_SCALE_EVENTS ?? 12_000)
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 8)
/** Events per emit (BENCH_SCALE_EMIT_CHUNK): a phase's events enter the queue in these chunks, one after another. */
const EMIT_CHUNK = Number(process.env.BENCH_SCALE_EMIT_CHUNK ?? 200)
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/10"
/**
 * One, two, two, one, twice: a phase is about 7 s here, and the machine's speed moves one phase pair's ratio by up
 * to 0.2 (2026-12-07 06:09: 1w 1,353 / 2w 2,233 / 2w 1,901 / 1w 1,578), so each side's median is over four phases.
 */
const PHASES = [1, 2, 2, 1, 1, 2, 2, 1]
/**
 * Then the same order again with each worker capped at WORKER_CORES (a cgroup CPU quota of its own), as if each had
 * a machine of its own: what the second worker adds where the workers, not the shared cores, are the bound.
 */
const CAPPED_PHASES = PHASES
/** Cores each worker may use in the capped phases (BENCH_SCALE_WORKER_CORES; 0 runs none). */
const WORKER_CORES = Number(process.env.BENCH_SCALE_WORKER_CORES ?? 0.25)
/** Events a worker handles, unmeasured, right after it starts (its first queries and compiled code). */
const WARMUP = Number(process.env.BENCH_SCALE_WARMUP ?? 2_000)
const log = sectionLogger("scale-out")

interface Phase {
  workers: number
  capped: boolean
  /** Cores each worker process used during the phase (its CPU seconds over the phase's). */
  workerCores: number[]
  perSecond: number
  seconds: number
  /** From the phase's first emit to its last (the workers take the events as they come). */
  emitSeconds: number
}

interface JobFacts {
  id?: string
  name: string
  attemptsStarted: number
  processedBy?: string
  finishedOn?: number
  records: number
}

/**
 * CPU seconds used so far by each part of the run: where a phase's time went (a worker that leaves cores idle
 * is waiting on round trips, which a second worker overlaps).
 */
function cpuByProcess(first: Server, second: Server | undefined): Record<string, number> {
  const own = process.cpuUsage()
  const named = (command: string) => allPids().filter((pid) => procStat(pid)?.command === command)
  return {
    "worker-1": cpuMsOf(groupPids(first.child.pid!)) / 1000,
    "worker-2": second ? cpuMsOf(groupPids(second.child.pid!)) / 1000 : 0,
    postgres: cpuMsOf(named("postgres")) / 1000,
    redis: cpuMsOf(named("redis-server")) / 1000,
    bench: (own.user + own.system) / 1e6,
  }
}

async function scaleOut(): Promise<BenchResult[]> {
  const started = Date.now()
  const step = (message: string) => log(`${Math.round((Date.now() - started) / 1000)}s ${message}`)
  const database = `uplift_bench_ingest_scaleout_${process.pid}`
  const prefix = `{uplift-scaleout-${process.pid}}`
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-scaleout-bench-"))
  const postgres = new Client({ connectionString: dbUrl("postgres") })
  await postgres.connect()
  const db = new Client({ connectionString: dbUrl(database) })
  const servers: Server[] = []
  let eventBus: any
  let caps: { first: CpuCap; second: CpuCap } | null = null
  let workersCapped = false
  let redis: IORedis | undefined
  try {
    await postgres.query(`drop database if exists ${database}`)
    await postgres.query(`create database ${database}`)
    dropIfInterrupted(database)
    const env = storeEnv(dbUrl(database), {
      REDIS_URL,
      UPLIFT_QUEUE_PREFIX: prefix,
      EVENT_BUS_CONCURRENCY: String(CONCURRENCY),
      // The server and the workers log no line per event.
      LOG_LEVEL: "error",
    })
    caps = workerCaps(`uplift-scaleout-${process.pid}`)
    const plan = phasePlan(caps !== null)
    const warmupEvents = WARMUP * (1 + 2 * secondStarts(plan))
    const sent = EVENTS * plan.length + warmupEvents
    eventBus = medusaEventBus()
    const busy = await eventBus.queue_.getJobCounts("waiting", "active", "delayed", "prioritized", "paused")
    if (Object.values(busy).some((n) => Number(n) > 0)) {
      throw new Error(`the event bus queue in ${REDIS_URL} is not idle (${JSON.stringify(busy)}): point BENCH_REDIS_URL at a Redis database of its own`)
    }
    const store = await migrateAndSeed({ ...env, MEDUSA_WORKER_MODE: "server" }, work, BENCH_ADMIN, 1)
    const prepared = path.join(work, "prepared.json")
    await medusa(
      ["exec", "./scripts/bench/scale-out-prepare.ts"],
      ROOT,
      { ...env, MEDUSA_WORKER_MODE: "server", BENCH_OUT: prepared, BENCH_CARTS: String(sent), BENCH_REGION_ID: store.regionId, BENCH_VARIANT_ID: store.variantIds[0], BENCH_PRODUCT_ID: store.productIds[0] },
      path.join(work, "prepare.log")
    )
    const { cartIds } = JSON.parse(fs.readFileSync(prepared, "utf8")) as { cartIds: string[] }
    step(`store seeded, ${cartIds.length} carts created`)
    await db.connect()
    const cartRows = async () => Number((await db.query(`select count(*)::int as n from uplift_interaction where kind = 'cart_item'`)).rows[0].n)
    // Polled many times a phase, so it reads only the rows stored since (by the primary key): a count of the whole
    // table took 20-30 ms of Postgres's CPU at 100,000 rows, on the cores the workers share.
    const cartRowsSince = async (at: number) =>
      Number((await db.query(`select count(*)::int as n from uplift_interaction where id >= $1 and kind = 'cart_item'`, [entityIdFloor("uint", at)])).rows[0].n)

    const port = async (offset: number) => (process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) + offset : freePort())
    const start = async (name: string, mode: "server" | "worker", offset: number) => {
      const server = startServer(name, ROOT, { ...env, MEDUSA_WORKER_MODE: mode }, await port(offset), path.join(work, `${name}.log`))
      servers.push(server)
      await waitHealthy(server)
      return server
    }
    const server = await start("server", "server", 0)
    const first = await start("worker-1", "worker", 1)
    let second: Server | undefined
    step("server and one worker up")

    /** Emits `cart.updated` for these carts; resolves once all their rows are stored, with the seconds that took and those the emitting took. */
    const ingest = async (carts: string[], label: string): Promise<{ seconds: number; emitSeconds: number }> => {
      const since = Date.now() - 1_000
      const before = await cartRowsSince(since)
      const t0 = process.hrtime.bigint()
      // In chunks, as a store's requests emit them: one bulk emit of the whole phase is a single Redis transaction
      // whose jobs appear at once, so every worker would sit idle for the second it takes.
      // Completed event jobs are kept (Medusa removes them by default): which worker ran each, and how often.
      for (let at = 0; at < carts.length; at += EMIT_CHUNK) {
        await eventBus.emit(carts.slice(at, at + EMIT_CHUNK).map((id) => ({ name: "cart.updated", data: { id } })), { removeOnComplete: false })
      }
      const emitSeconds = Number(process.hrtime.bigint() - t0) / 1e9
      const deadline = Date.now() + 300_000
      for (let rows = await cartRowsSince(since); rows < before + carts.length; rows = await cartRowsSince(since)) {
        if (!isRunning(first)) throw new Error(`worker-1 exited:\n${fs.readFileSync(first.logFile, "utf8").slice(-3000)}`)
        if (Date.now() > deadline) throw new Error(`${label}: ${rows - before} of ${carts.length} rows after 300 s`)
        // Counted often only near the end, so that it takes little of the cores it measures.
        await sleep(before + carts.length - rows > carts.length / 10 ? 100 : 10)
      }
      return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, emitSeconds }
    }
    const warmupCarts = cartIds.slice(EVENTS * plan.length)
    let warmedUp = 0
    const warmUp = async (count: number, label: string) => {
      if (count) await ingest(warmupCarts.slice(warmedUp, warmedUp + count), label)
      warmedUp += count
    }
    await warmUp(WARMUP, "warm-up of worker-1")

    /** A propensity training requested through the admin API: queued by the server, run by whichever worker takes it. */
    let run: any
    const train = async () => {
      const admin = await adminHeaders(server.url, BENCH_ADMIN)
      const { training_run } = await call(server.url, "POST", "/admin/ml/training-runs", { model: "propensity" }, admin)
      run = training_run
      const trainingDeadline = Date.now() + 300_000
      while (!["completed", "failed"].includes(run.status) && Date.now() < trainingDeadline) {
        await sleep(500)
        run = (await call(server.url, "GET", `/admin/ml/training-runs/${training_run.id}`, undefined, admin)).training_run
      }
      step(`training run ${run.id}: ${run.status} (${run.outcome ?? run.error ?? ""}), attempts ${run.attempts}`)
    }

    const phases: Phase[] = []
    for (const [index, { workers, capped }] of plan.entries()) {
      if (capped && !workersCapped) {
        caps!.first.add(groupPids(first.child.pid!))
        workersCapped = true
        step(`each worker capped at ${WORKER_CORES} cores from here`)
      }
      if (workers === 2 && !second) {
        second = await start("worker-2", "worker", 2)
        if (capped) caps!.second.add(groupPids(second.child.pid!))
        // Twice the warm-up with both workers up, so that the second handles about as many as the first did alone.
        await warmUp(2 * WARMUP, "warm-up with worker-2")
        step("second worker up")
      }
      if (workers === 1 && second) {
        // With both workers up, before the second one first stops.
        if (!run) await train()
        await stopAndWait(second)
        second = undefined
        step("second worker stopped")
      }
      const cpuBefore = cpuByProcess(first, second)
      const { seconds, emitSeconds } = await ingest(cartIds.slice(index * EVENTS, (index + 1) * EVENTS), `phase ${index + 1}`)
      const used = Object.entries(cpuByProcess(first, second)).map(([name, total]) => [name, total - cpuBefore[name]] as const)
      const cores = used.reduce((sum, [, cpu]) => sum + cpu, 0) / seconds
      step(`phase ${index + 1}: CPU seconds ${used.map(([name, cpu]) => `${name} ${cpu.toFixed(2)}`).join(", ")} (${cores.toFixed(2)} cores)`)
      const workerCores = used.filter(([name]) => name.startsWith("worker-")).slice(0, workers).map(([, cpu]) => cpu / seconds)
      phases.push({ workers, capped, workerCores, seconds, perSecond: EVENTS / seconds, emitSeconds })
      step(`phase ${index + 1}: ${workers} worker(s)${capped ? `, capped at ${WORKER_CORES} cores each` : ""}, ${EVENTS} events in ${seconds.toFixed(2)} s (emitted over the first ${emitSeconds.toFixed(2)} s) = ${(EVENTS / seconds).toFixed(1)} events/s`)
    }

    if (!run) await train()
    redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null })
    const trainingQueue = new Queue("uplift-training", { prefix, connection: redis })
    // Cart events are stored by their subscriber inside the event bus's own job (no second queue hop): one job per event.
    // The event bus's queue is Medusa's one queue on this Redis: earlier runs' kept jobs stay in it, so only this run's count.
    const ingestJobs = (await eventBus.queue_.getJobs(["completed", "failed", "active", "waiting", "delayed"], 0, -1))
      .filter((job: any) => job?.name === "cart.updated" && job.timestamp >= started)
      .map(facts)
    const trainingJob = (await trainingQueue.getJobs(["completed", "failed", "active", "waiting", "delayed"], 0, -1)).filter((job) => job?.name === "train").map(facts)
    await trainingQueue.close()

    const rows = await cartRows()
    const queuedRecords = ingestJobs.reduce((sum, job) => sum + job.records, 0)
    const startedMoreThanOnce = [...ingestJobs, ...trainingJob].filter((job) => job.attemptsStarted !== 1).length
    // The event bus's BullMQ (5.13, Medusa's own dependency) names the worker only on jobs taken by
    // moveToActive, not on those a worker fetches as it completes the previous one: those count as unnamed.
    const byWorker = new Map<string, number>()
    for (const job of ingestJobs) if (job.processedBy) byWorker.set(job.processedBy, (byWorker.get(job.processedBy) ?? 0) + job.records)
    const unnamed = ingestJobs.filter((job) => !job.processedBy).length
    step(`ingestion jobs: ${ingestJobs.length}, named jobs by worker process: ${JSON.stringify(Object.fromEntries(byWorker))}, ${unnamed} taken on completing another (unnamed)`)
    step(`training job(s): ${JSON.stringify(trainingJob)}`)

    const uncapped = throughputs(phases.filter((p) => !p.capped))
    const capped = throughputs(phases.filter((p) => p.capped))
    const per = `events/s (median of ${PHASES.filter((w) => w === 1).length} phases of ${EVENTS} cart events; event bus concurrency ${CONCURRENCY} per worker; phases ${uncapped.phases})`
    const perCapped = `events/s, each worker capped at ${WORKER_CORES} cores (median of ${CAPPED_PHASES.filter((w) => w === 1).length} phases; phases ${capped.phases})`
    return [
      { benchmark: "ingestion_one_worker_per_second", value: round(uncapped.one, 1), unit: per },
      { benchmark: "ingestion_two_workers_per_second", value: round(uncapped.two, 1), unit: per },
      { benchmark: "ingestion_two_workers_vs_one", value: round(uncapped.two / uncapped.one, 3), unit: "ratio of the medians" },
      ...(caps
        ? [
            {
              benchmark: "scale_out_capped_worker_cores_max",
              value: round(Math.max(...phases.filter((p) => p.capped).flatMap((p) => p.workerCores)), 3),
              unit: `cores, the most any capped worker used in a phase (cap ${WORKER_CORES})`,
            },
            { benchmark: "ingestion_capped_one_worker_per_second", value: round(capped.one, 1), unit: perCapped },
            { benchmark: "ingestion_capped_two_workers_per_second", value: round(capped.two, 1), unit: perCapped },
            { benchmark: "ingestion_two_workers_vs_one_capped", value: round(capped.two / capped.one, 3), unit: `ratio of the medians, each worker capped at ${WORKER_CORES} cores` },
          ]
        : []),
      { benchmark: "scale_out_emit_median_s", value: round(median(phases.map((p) => p.emitSeconds)), 3), unit: `s (from a phase's first emit to its last, ${EMIT_CHUNK} events each)` },
      { benchmark: "scale_out_rows_missing", value: Math.max(0, sent - rows), unit: `rows (of ${sent} events sent)` },
      { benchmark: "scale_out_rows_doubled", value: Math.max(0, rows - sent), unit: `rows (of ${sent} events sent)` },
      { benchmark: "scale_out_records_queued_twice", value: queuedRecords - sent, unit: `interactions queued beyond one per event (${ingestJobs.length} ingestion jobs)` },
      { benchmark: "scale_out_jobs_started_twice", value: startedMoreThanOnce, unit: `jobs started more than once (of ${ingestJobs.length + trainingJob.length})` },
      { benchmark: "scale_out_worker_processes_used", value: byWorker.size, unit: `worker processes that ran ingestion jobs (from the ${ingestJobs.length - unnamed} jobs BullMQ names a worker on)` },
      { benchmark: "scale_out_training_runs_completed", value: run.status === "completed" && run.attempts === 1 && trainingJob.length === 1 ? 1 : 0, unit: `training run ${run.status} (${run.outcome ?? run.error ?? ""}) in ${trainingJob[0]?.processedBy ?? "?"}, attempts ${run.attempts}` },
    ]
  } finally {
    for (const server of servers) stopServer(server)
    caps?.first.release()
    caps?.second.release()
    redis?.disconnect()
    await eventBus?.queue_.close().catch(() => undefined)
    eventBus?.eventBusRedisConnection_?.disconnect()
    await db.end().catch(() => undefined)
    await sleep(1_500)
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(postgres, database)
    await postgres.end().catch(() => undefined)
    if (!process.env.BENCH_KEEP_DB) fs.rmSync(work, { recursive: true, force: true })
    else log(`kept ${database} and ${work}`)
  }
}

function phasePlan(withCapped: boolean): { workers: number; capped: boolean }[] {
  const capped = withCapped ? CAPPED_PHASES.map((workers) => ({ workers, capped: true })) : []
  return [...PHASES.map((workers) => ({ workers, capped: false })), ...capped]
}

/** The second worker starts anew for each run of two-worker phases, each time after twice the warm-up. */
function secondStarts(plan: { workers: number }[]): number {
  return plan.filter((phase, index) => phase.workers === 2 && plan[index - 1]?.workers !== 2).length
}

/** A CPU cap per worker process, or null (with a line saying why) where this machine cannot give one or none is asked for. */
function workerCaps(name: string): { first: CpuCap; second: CpuCap } | null {
  if (!(WORKER_CORES > 0)) return null
  const first = createCpuCap(`${name}-worker-1`, WORKER_CORES)
  const second = first && createCpuCap(`${name}-worker-2`, WORKER_CORES)
  if (first && second) return { first, second }
  first?.release()
  log("no capped phases: creating a cgroup with a CPU quota needs root and the cgroup cpu controller")
  return null
}

function throughputs(phases: Phase[]): { one: number; two: number; phases: string } {
  return {
    one: median(phases.filter((p) => p.workers === 1).map((p) => p.perSecond)),
    two: median(phases.filter((p) => p.workers === 2).map((p) => p.perSecond)),
    phases: phases.map((p) => `${p.workers}w ${round(p.perSecond, 1)}`).join(", "),
  }
}

/** Medusa's Redis event bus as the store configures it, in server mode: it emits into Redis and runs no events. */
function medusaEventBus(): any {
  // The module Medusa loads for `@medusajs/medusa/event-bus-redis` (its definition's service).
  const RedisEventBusService = require(require.resolve("@medusajs/event-bus-redis", { paths: [ROOT] })).default.service
  const logger = { info: () => undefined, warn: console.warn, error: console.error, debug: () => undefined }
  const eventBus = new RedisEventBusService(
    { logger, eventBusRedisConnection: new IORedis(REDIS_URL, { maxRetriesPerRequest: null }) },
    { redisUrl: REDIS_URL },
    { worker_mode: "server" }
  )
  // Medusa queues only events that have a subscriber in the emitting process (a store's server process has
  // the plugin's subscribers registered); this one never runs here, the workers run their own.
  eventBus.subscribe("cart.updated", async () => undefined, { subscriberId: "medusa-uplift-cart-changes" })
  return eventBus
}

function facts(job: any): JobFacts {
  return {
    id: job.id,
    name: job.name,
    attemptsStarted: job.attemptsStarted,
    processedBy: job.processedBy,
    finishedOn: job.finishedOn,
    records: job.name === "cart.updated" ? 1 : Array.isArray(job.data?.records) ? job.data.records.length : 0,
  }
}

/** SIGTERM, then waits for the process to exit (Medusa closes its workers, finishing the events in hand). */
async function stopAndWait(server: Server): Promise<void> {
  stopServer(server)
  const deadline = Date.now() + 60_000
  while (isRunning(server) && Date.now() < deadline) await sleep(200)
}

/**
 * Lost, doubled or twice-run work fails the section, and so do a worker that ran no ingestion job and a
 * training that did not complete once. The throughput ratio is a figure, not a check (like the ingestion
 * section's goals): on a shared machine it moves with the load.
 */
function scaleOutCheck(results: BenchResult[]): string | undefined {
  const value = (name: string) => results.find((r) => r.benchmark === name)?.value
  const problems = [
    ...["scale_out_rows_missing", "scale_out_rows_doubled", "scale_out_records_queued_twice", "scale_out_jobs_started_twice"].filter((name) => value(name) !== 0).map((name) => `${name} = ${value(name)}`),
    ...((value("scale_out_worker_processes_used") ?? 0) >= 2 ? [] : [`scale_out_worker_processes_used = ${value("scale_out_worker_processes_used")}`]),
    ...(value("scale_out_training_runs_completed") === 1 ? [] : ["the training run did not complete once"]),
    // A cap that did not hold would make the capped figures mean nothing.
    ...((value("scale_out_capped_worker_cores_max") ?? 0) <= WORKER_CORES * 1.1 ? [] : [`a capped worker used ${value("scale_out_capped_worker_cores_max")} cores`]),
  ]
  return problems.length ? problems.join(", ") : undefined
}

export const scaleOutSection: BenchSection = {
  name: "scale-out",
  run: scaleOut,
  check: scaleOutCheck,
}
