import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { Client } from "pg"
import { createPrivateCluster, PrivateCluster } from "../helpers/private-postgres"
import { procStat } from "../../scripts/lib/processes"
import {
  adminHeaders,
  freePort,
  isRunning,
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
} from "../../scripts/lib/medusa-store"

/**
 * Postgres restarted under a running store: this repo booted with `medusa start` (as scripts/bench does)
 * against a private Postgres cluster that the test stops (`pg_ctl stop -m fast`) and starts again. While
 * it is down, every request fails promptly with a 503 naming the database (the plugin's error handler)
 * and the server process stays up; once it is back, the same process answers again by itself.
 */

jest.setTimeout(300_000)

// The store's wait for a connection (plugin option databaseTimeoutMs); Medusa's own is 60 s.
const DATABASE_TIMEOUT_MS = 2_000
// A request during the outage must be answered within this (the wait plus the handler and a busy machine).
const PROMPT_MS = 10_000
const RECOVERY_MS = 30_000
const ADMIN = { email: "restart@uplift.test", password: "restart-password" }

interface Probe {
  status: number
  ms: number
  body: any
  retryAfter: string | null
}

async function probe(url: string, headers: Record<string, string>): Promise<Probe> {
  const started = Date.now()
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(60_000) })
    const text = await response.text()
    let body: any = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON: kept as text for the failure message
    }
    return { status: response.status, ms: Date.now() - started, body, retryAfter: response.headers.get("retry-after") }
  } catch (error) {
    // No HTTP answer at all (hang past 60 s, connection dropped): status 0 fails every expectation below.
    return { status: 0, ms: Date.now() - started, body: String(error), retryAfter: null }
  }
}

/** Polls until the route answers 200; returns how long that took. */
async function recovered(url: string, headers: Record<string, string>): Promise<number> {
  const started = Date.now()
  let last: Probe | undefined
  while (Date.now() - started < RECOVERY_MS) {
    last = await probe(url, headers)
    if (last.status === 200) return Date.now() - started
    await sleep(250)
  }
  throw new Error(`${url} did not recover within ${RECOVERY_MS} ms; last answer ${last?.status}: ${JSON.stringify(last?.body).slice(0, 300)}`)
}

describe("Postgres restarted under a running store", () => {
  let cluster: PrivateCluster | undefined
  let server: Server | undefined
  let work: string
  let store: SeededStore
  let routes: { storeProducts: string; pluginSimilar: string; pluginAdmin: string }
  let shopper: Record<string, string>
  let admin: Record<string, string>

  // A killed jest skips afterAll; the process exit hook still stops what the test started.
  const cleanUp = () => {
    stopServer(server)
    cluster?.destroy()
    if (work) fs.rmSync(work, { recursive: true, force: true })
  }

  beforeAll(async () => {
    process.once("exit", cleanUp)
    work = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-pg-restart-"))
    cluster = createPrivateCluster(await freePort())
    cluster.start()
    const postgres = new Client({ connectionString: cluster.url("postgres") })
    await postgres.connect()
    await postgres.query("create database store")
    await postgres.end()

    const env = storeEnv(cluster.url("store"), { UPLIFT_DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS) })
    store = await migrateAndSeed(env, work, ADMIN)
    server = startServer("restart", ROOT, env, await freePort(), path.join(work, "server.log"))
    await waitHealthy(server)
    admin = await adminHeaders(server.url, ADMIN)
    shopper = { "x-publishable-api-key": store.publishableKey }
    routes = {
      storeProducts: `${server.url}/store/products?limit=1`,
      pluginSimilar: `${server.url}/store/products/${store.productIds[0]}/similar`,
      pluginAdmin: `${server.url}/admin/discount-policies`,
    }
  })

  afterAll(() => {
    cleanUp()
    process.removeListener("exit", cleanUp)
  })

  it("fails requests promptly while Postgres is down and recovers in the same process when it returns", async () => {
    expect((await probe(routes.storeProducts, shopper)).status).toBe(200)
    expect((await probe(routes.pluginSimilar, shopper)).status).toBe(200)
    expect((await probe(routes.pluginAdmin, admin)).status).toBe(200)
    const pid = server!.child.pid

    cluster!.stop()
    for (let round = 0; round < 2; round++) {
      const [storeProducts, pluginSimilar, pluginAdmin] = await Promise.all([
        probe(routes.storeProducts, shopper),
        probe(routes.pluginSimilar, shopper),
        probe(routes.pluginAdmin, admin),
      ])
      // Every route, Medusa's own included, answers 503 naming the database: the plugin's admin routes
      // themselves, the rest through the plugin's error handler (this app defines none of its own).
      for (const answer of [storeProducts, pluginSimilar, pluginAdmin]) {
        expect(answer).toMatchObject({ status: 503, retryAfter: "5", body: { type: "database_unavailable" } })
        expect(answer.body.message).toMatch(/database is unavailable/)
        expect(answer.ms).toBeLessThan(PROMPT_MS)
      }
      console.log(`outage round ${round}: store ${storeProducts.status} in ${storeProducts.ms} ms, plugin store ${pluginSimilar.status} in ${pluginSimilar.ms} ms, plugin admin ${pluginAdmin.status} in ${pluginAdmin.ms} ms`)
    }
    expect(isRunning(server!)).toBe(true)
    expect((await probe(`${server!.url}/health`, {})).status).toBe(200)

    cluster!.start()
    const recoveryMs = await Promise.all([recovered(routes.storeProducts, shopper), recovered(routes.pluginSimilar, shopper), recovered(routes.pluginAdmin, admin)])
    console.log(`recovered after the restart in ${recoveryMs.join(" / ")} ms (store / plugin store / plugin admin)`)
    expect(Math.max(...recoveryMs)).toBeLessThan(RECOVERY_MS)
    expect(server!.child.pid).toBe(pid)
    expect(isRunning(server!)).toBe(true)
  })

  // The benches restart their servers after their setup (scripts/bench/comparison.ts): a fresh process must take
  // the old one's place on the same URL, and the old one must be gone.
  it("a bench's restart replaces the server process on the same URL", async () => {
    const before = server!.child.pid!
    await restartServer(server!)
    expect(server!.child.pid).not.toBe(before)
    expect(procStat(before)).toBeUndefined()
    expect((await probe(routes.storeProducts, shopper)).status).toBe(200)
    expect((await probe(routes.pluginAdmin, admin)).status).toBe(200)
  })
})
