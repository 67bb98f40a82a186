import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { Client } from "pg"
import {
  AdminLogin,
  adminHeaders,
  dbUrl,
  dropDatabase,
  dropIfInterrupted,
  freePort,
  migrateAndSeed,
  restartServer,
  ROOT,
  SeededStore,
  Server,
  sleep,
  startServer,
  stopServer,
  storeEnv,
  waitHealthy,
  writeBareApp,
} from "../lib/medusa-store"

/**
 * The two-server harness of the store benchmarks: one throwaway database on the shared Postgres, migrated
 * and seeded once; the "with" server is this repo booted with `medusa start` (plugin modules, hooks,
 * subscribers, routes); the "without" server is a bare Medusa app in a temp dir (reusing this repo's
 * node_modules) whose config loads no plugin. Both accept the same tokens (same secrets).
 *
 * env: DB_HOST / DB_USERNAME / DB_PASSWORD (default localhost / postgres / empty), BENCH_PORT (default: free
 * ports; when set, the "without" server takes the next port), BENCH_KEEP_DB=1 keeps the database.
 */

export const BENCH_ADMIN: AdminLogin = { email: "bench@uplift.test", password: "bench-password" }

export interface Comparison {
  withServer: Server
  withoutServer: Server
  store: SeededStore
  databaseUrl: string
  admin: Record<string, string>
  /** Logs a progress line prefixed with the seconds since the harness started. */
  step: (message: string) => void
}

export interface ComparisonOptions {
  name: string
  log: (message: string) => void
  productCount?: number
  /** Extra env for both servers. */
  serverEnv?: NodeJS.ProcessEnv
}

export async function withComparison<T>(options: ComparisonOptions, run: (comparison: Comparison) => Promise<T>): Promise<T> {
  const started = Date.now()
  const step = (message: string) => options.log(`${Math.round((Date.now() - started) / 1000)}s ${message}`)
  const database = `uplift_bench_${options.name.replace(/\W/g, "_")}_${process.pid}`
  const databaseUrl = dbUrl(database)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `uplift-bench-${options.name}-`))
  const postgres = new Client({ connectionString: dbUrl("postgres") })
  await postgres.connect()
  let withServer: Server | undefined
  let withoutServer: Server | undefined
  try {
    await postgres.query(`drop database if exists ${database}`)
    await postgres.query(`create database ${database}`)
    dropIfInterrupted(database)
    const env = storeEnv(databaseUrl, options.serverEnv)
    const store = await migrateAndSeed(env, work, BENCH_ADMIN, options.productCount)
    step("migrated (with the plugin), store seeded, admin user created")

    const bareDir = path.join(work, "bare")
    writeBareApp(bareDir, databaseUrl)
    const port = Number(process.env.BENCH_PORT || 0)
    withServer = startServer("with-plugin", ROOT, env, port || (await freePort()), path.join(work, "with.log"))
    withoutServer = startServer("without-plugin", bareDir, env, port ? port + 1 : await freePort(), path.join(work, "without.log"))
    await Promise.all([waitHealthy(withServer), waitHealthy(withoutServer)])
    step("both servers up")
    const admin = await adminHeaders(withServer.url, BENCH_ADMIN)
    return await run({ withServer, withoutServer, store, databaseUrl, admin, step })
  } finally {
    stopServer(withServer)
    stopServer(withoutServer)
    await sleep(1_500)
    if (!process.env.BENCH_KEEP_DB) await dropDatabase(postgres, database)
    await postgres.end().catch(() => undefined)
    fs.rmSync(work, { recursive: true, force: true })
  }
}

/**
 * Another checkout of this repo (a bench's BENCH_*_BASELINE) served on the comparison's database beside the
 * plugin's server: before and after in one run. Resolves once it answers /health; stopped if it never does.
 */
export async function startBaselineServer(dir: string, databaseUrl: string, withServer: Server, serverEnv?: NodeJS.ProcessEnv): Promise<Server> {
  const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) + 2 : await freePort()
  const server = startServer("baseline", dir, storeEnv(databaseUrl, serverEnv), port, path.join(path.dirname(withServer.logFile), "baseline.log"))
  try {
    await waitHealthy(server)
  } catch (error) {
    stopServer(server)
    throw error
  }
  return server
}

/**
 * Restarts the servers (a bench does once its setup is done, `why` saying when). The setup (a policy, the
 * shoppers' registrations) goes through the plugin's server, and a process's history of other requests moves its
 * cost per request by a few percent (two A/A runs, docs/measurements.md 2026-12-06 20:34 and 20:46): fresh, every
 * side starts the timed part from the same history.
 */
export async function restartServers(servers: (Server | undefined)[], step: (message: string) => void, why = "after the setup"): Promise<void> {
  const running = servers.filter((server): server is Server => server !== undefined)
  await Promise.all(running.map(restartServer))
  step(`${running.map((server) => server.name).join(", ")} restarted ${why}`)
}
