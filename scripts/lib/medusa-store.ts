import { ChildProcess, spawn } from "child_process"
import * as fs from "fs"
import * as net from "net"
import * as path from "path"
import { Client } from "pg"

/**
 * Shared helpers for commands that boot this repo as a real store with `medusa start` (benchmarks, the
 * Postgres restart test): database URLs, the `medusa` CLI, server processes, JSON calls and the bare
 * Medusa app without the plugin.
 */

export const ROOT = path.resolve(__dirname, "../..")
export const JWT_SECRET = "bench-secret"

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits

/** Nearest-rank quantile of ascending values (NaN when there are none). */
export function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN
}

/** Progress lines on stdout, or on stderr with --json so that stdout holds only the figures. */
export function sectionLogger(section: string): (message: string) => void {
  return (message) => {
    if (!process.argv.includes("--json")) console.log(`[${section}] ${message}`)
    else console.error(`[${section}] ${message}`)
  }
}

export function dbUrl(database: string, port = process.env.DB_PORT ?? "5432"): string {
  const user = process.env.DB_USERNAME ?? "postgres"
  const password = process.env.DB_PASSWORD ? `:${encodeURIComponent(process.env.DB_PASSWORD)}` : ""
  return `postgres://${user}${password}@${process.env.DB_HOST ?? "localhost"}:${port}/${database}`
}

/** A TCP port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/** The environment a store process runs with: no Redis, no admin bundle, this file's secrets. */
export function storeEnv(databaseUrl: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: "",
    UPLIFT_REDIS_URL: "",
    MEDUSA_DISABLE_ADMIN: "true",
    JWT_SECRET,
    COOKIE_SECRET: JWT_SECRET,
    STORE_CORS: "*",
    ADMIN_CORS: "*",
    AUTH_CORS: "*",
    UPLIFT_EXECUTION_PROVIDERS: "cpu",
    NODE_ENV: "production",
    // production refuses the public default salt; these stores are throwaway
    UPLIFT_HASH_SALT: process.env.UPLIFT_HASH_SALT || "throwaway-store-hash-salt",
    LOG_LEVEL: "error",
    ...extra,
  }
  delete env.UPLIFT_PROMOTION_CONTEXT_HOOK
  return env
}

/** Runs a command to completion; the output goes to a log file shown on failure. */
export function runLogged(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, "w")
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", out, out] })
    child.on("error", reject)
    child.on("exit", (code) => {
      fs.closeSync(out)
      if (code === 0) resolve()
      else reject(new Error(`${path.basename(command)} ${args.join(" ")} exited ${code}:\n${fs.readFileSync(logFile, "utf8").slice(-4000)}`))
    })
  })
}

/** Runs `medusa <args>` to completion; the output goes to a log file shown on failure. */
export function medusa(args: string[], cwd: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return runLogged(path.join(ROOT, "node_modules/.bin/medusa"), args, cwd, env, logFile)
}

/** Drops a throwaway database, retrying while the servers that used it are still letting go. */
export async function dropDatabase(postgres: Client, database: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      await postgres.query(`drop database if exists ${database} with (force)`)
      return
    } catch {
      await sleep(1_000)
    }
  }
}

export interface SeededStore {
  publishableKey: string
  regionId: string
  salesChannelId: string
  shippingOptionId: string
  productIds: string[]
  variantIds: string[]
}

export interface AdminLogin {
  email: string
  password: string
}

/** Migrates the database and seeds a small selling store plus an admin user (scripts/lib/seed-store.ts). */
export async function migrateAndSeed(env: NodeJS.ProcessEnv, work: string, admin: AdminLogin, productCount = 2): Promise<SeededStore> {
  await medusa(["db:migrate"], ROOT, env, path.join(work, "migrate.log"))
  const seedFile = path.join(work, "seed.json")
  const seedEnv = { ...env, SEED_OUT: seedFile, SEED_PRODUCTS: String(productCount), SEED_ADMIN_EMAIL: admin.email, SEED_ADMIN_PASSWORD: admin.password }
  await medusa(["exec", "./scripts/lib/seed-store.ts"], ROOT, seedEnv, path.join(work, "seed.log"))
  return JSON.parse(fs.readFileSync(seedFile, "utf8")) as SeededStore
}

export interface Server {
  name: string
  url: string
  /** The running `medusa start`; restartServer replaces it. */
  child: ChildProcess
  logFile: string
  start: { cwd: string; env: NodeJS.ProcessEnv; port: number }
}

/** What a run interrupted by SIGINT or SIGTERM still undoes, newest first (its servers before its databases). */
const undoOnInterrupt: (() => Promise<unknown> | void)[] = []

/**
 * Runs `undo` if this process is interrupted (SIGINT, SIGTERM) before the returned function is called, then exits
 * as the signal would have (130, 143). A second signal during the undo exits at once.
 */
export function undoIfInterrupted(undo: () => Promise<unknown> | void): () => void {
  if (!process.listeners("SIGINT").includes(runUndoThenExit)) {
    process.once("SIGINT", runUndoThenExit)
    process.once("SIGTERM", runUndoThenExit)
  }
  undoOnInterrupt.push(undo)
  return () => {
    const at = undoOnInterrupt.indexOf(undo)
    if (at >= 0) undoOnInterrupt.splice(at, 1)
  }
}

async function runUndoThenExit(signal: NodeJS.Signals): Promise<void> {
  for (const undo of undoOnInterrupt.splice(0).reverse()) {
    await Promise.resolve()
      .then(undo)
      .catch(() => undefined)
  }
  process.exit(signal === "SIGINT" ? 130 : 143)
}

/**
 * A detached child (its own process group, which a Ctrl-C on the terminal does not reach) is stopped, group and
 * all, if this process is interrupted while the child runs.
 */
export function stopIfInterrupted(child: ChildProcess): void {
  child.once("exit", undoIfInterrupted(() => stopGroup(child)))
}

/** A throwaway database is dropped if this process is interrupted before the returned function is called, unless kept. */
export function dropIfInterrupted(database: string, keep = Boolean(process.env.BENCH_KEEP_DB)): () => void {
  if (keep) return () => undefined
  return undoIfInterrupted(async () => {
    const postgres = new Client({ connectionString: dbUrl("postgres") })
    await postgres.connect()
    try {
      await dropDatabase(postgres, database)
    } finally {
      await postgres.end()
    }
  })
}

export function startServer(name: string, cwd: string, env: NodeJS.ProcessEnv, port: number, logFile: string): Server {
  const start = { cwd, env, port }
  return { name, url: `http://localhost:${port}`, child: spawnMedusaStart(start, logFile, "w"), logFile, start }
}

function spawnMedusaStart({ cwd, env, port }: Server["start"], logFile: string, flags: "w" | "a"): ChildProcess {
  const out = fs.openSync(logFile, flags)
  // Own process group, so that stopping it also stops the server the CLI forks.
  const child = spawn(path.join(ROOT, "node_modules/.bin/medusa"), ["start"], {
    cwd,
    env: { ...env, PORT: String(port) },
    stdio: ["ignore", out, out],
    detached: true,
  })
  fs.closeSync(out)
  stopIfInterrupted(child)
  return child
}

/**
 * Stops the server and starts it again on the same port (its log continues), resolving once it answers
 * /health: a fresh process, with no history of earlier requests.
 */
export async function restartServer(server: Server): Promise<void> {
  const exited = new Promise((resolve) => (isRunning(server) ? server.child.once("exit", resolve) : resolve(undefined)))
  stopServer(server)
  await exited
  // The CLI's forked server can outlive the CLI by a moment; the port must be free before the next one binds it.
  const deadline = Date.now() + 30_000
  while (await answers(server)) {
    if (Date.now() > deadline) throw new Error(`${server.name} server still answers after its stop`)
    await sleep(200)
  }
  server.child = spawnMedusaStart(server.start, server.logFile, "a")
  await waitHealthy(server)
}

async function answers(server: Server): Promise<boolean> {
  try {
    await fetch(`${server.url}/health`)
    return true
  } catch {
    return false
  }
}

export function isRunning(server: Server): boolean {
  return server.child.exitCode === null && server.child.signalCode === null
}

export async function waitHealthy(server: Server, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!isRunning(server)) break
    try {
      if ((await fetch(`${server.url}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await sleep(500)
  }
  throw new Error(`${server.name} server did not come up:\n${fs.readFileSync(server.logFile, "utf8").slice(-4000)}`)
}

export function stopServer(server: Server | undefined) {
  if (server) stopGroup(server.child)
}

/** SIGTERM to a detached child's process group, while the child runs. */
function stopGroup(child: ChildProcess) {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, "SIGTERM")
  } catch {
    // already gone
  }
}

/** One JSON request; throws on a status other than 2xx (and after timeoutMs, when given). */
export async function call(base: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs?: number): Promise<any> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url} -> ${response.status}: ${text.slice(0, 500)}`)
  return text ? JSON.parse(text) : {}
}

/** Logs an admin in through the real auth route; returns the bearer headers. */
export async function adminHeaders(base: string, admin: AdminLogin): Promise<Record<string, string>> {
  const { token } = await call(base, "POST", "/auth/user/emailpass", admin)
  return { authorization: `Bearer ${token}` }
}

/** Registers a customer through the store API and logs them in; returns their request headers. */
export async function registerShopper(base: string, publishableKey: string, login: AdminLogin): Promise<Record<string, string>> {
  const keyHeader = { "x-publishable-api-key": publishableKey }
  const { token: registration } = await call(base, "POST", "/auth/customer/emailpass/register", login)
  await call(base, "POST", "/store/customers", { email: login.email, first_name: "Bench", last_name: "Shopper" }, { ...keyHeader, authorization: `Bearer ${registration}` })
  const { token } = await call(base, "POST", "/auth/customer/emailpass", login)
  return { ...keyHeader, authorization: `Bearer ${token}` }
}

/** The throwaway app without the plugin: same database and secrets, no plugin modules, hooks or routes. */
export function writeBareApp(dir: string, databaseUrl: string) {
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true })
  for (const name of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (name !== "medusa-uplift") fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(dir, "node_modules", name))
  }
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "uplift-bench-bare", private: true, dependencies: { "@medusajs/medusa": "2.21.2", "@medusajs/framework": "2.21.2" } })
  )
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2021", module: "Node16", moduleResolution: "Node16", esModuleInterop: true, skipLibCheck: true, experimentalDecorators: true, emitDecoratorMetadata: true },
      "ts-node": { swc: true },
    })
  )
  fs.writeFileSync(
    path.join(dir, "medusa-config.ts"),
    `import { defineConfig } from "@medusajs/framework/utils"

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: ${JSON.stringify(databaseUrl)},
    http: { jwtSecret: ${JSON.stringify(JWT_SECRET)}, cookieSecret: ${JSON.stringify(JWT_SECRET)}, storeCors: "*", adminCors: "*", authCors: "*" },
  },
  admin: { disable: true },
})
`
  )
}
