import { spawn } from "child_process"
import path from "path"
import { Client } from "pg"
import { JobQueue } from "../queue/job-queue"

jest.setTimeout(60_000)

const REDIS_URL = process.env.UPLIFT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379/9"
const DATABASE = `uplift_crash_${process.pid}`
const adminUrl = `postgres://${process.env.DB_USERNAME ?? "postgres"}@${process.env.DB_HOST ?? "localhost"}:5432/postgres`
const databaseUrl = adminUrl.replace(/\/postgres$/, `/${DATABASE}`)
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined }

describe("a worker killed in the middle of a job", () => {
  let admin: Client
  let db: Client
  beforeAll(async () => {
    admin = new Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`drop database if exists ${DATABASE}`)
    await admin.query(`create database ${DATABASE}`)
    db = new Client({ connectionString: databaseUrl })
    await db.connect()
    await db.query("create table crash_effect (key text primary key, at timestamptz default now())")
  })
  afterAll(async () => {
    await db.end()
    await admin.query(`drop database if exists ${DATABASE}`)
    await admin.end()
  })

  it("is retried by another worker and its effect happens once", async () => {
    const prefix = `{uplift-crash-${process.pid}-${Date.now()}}`
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(__dirname, "../../../../integration-tests/fixtures/crashing-worker.ts"), REDIS_URL, prefix, databaseUrl],
      { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } }
    )
    const producer = new JobQueue({ queueName: "crash-test", redisUrl: REDIS_URL, prefix, timeoutMs: 2_000, concurrency: 1, attempts: 3, logger: silent })
    await producer.add("ingest", { key: "event-1" }, { jobId: "event-1" })
    await new Promise<void>((resolve) => child.stdout!.on("data", (chunk) => String(chunk).includes("effect-done") && resolve()))
    child.kill("SIGKILL")

    let runs = 0
    const survivor = new JobQueue({ queueName: "crash-test", redisUrl: REDIS_URL, prefix, timeoutMs: 2_000, concurrency: 1, attempts: 3, logger: silent, lockDurationMs: 2_000, stalledIntervalMs: 1_000 })
    survivor.startProcessing(async (_name, data) => {
      runs++
      await db.query("insert into crash_effect (key) values ($1) on conflict do nothing", [data.key])
    }, { runWorker: true })
    const deadline = Date.now() + 30_000
    while (runs === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
    await Promise.all([producer.close(), survivor.close()])

    expect(runs).toBe(1)
    const { rows } = await db.query("select count(*)::int as n from crash_effect")
    expect(rows[0].n).toBe(1)
  })
})
