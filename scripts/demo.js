#!/usr/bin/env node
/**
 * The demo store in one command: `npm run demo`.
 *
 * 1. checks that PostgreSQL and Redis answer (DATABASE_URL, REDIS_URL; local defaults) and says how to
 *    start the one that does not;
 * 2. creates the database if missing (`--reset` drops and recreates it);
 * 3. runs the migrations and the demo seed (src/scripts/seed-demo.ts; it skips what already exists);
 * 4. creates the admin user if missing and prints the admin URL and credentials; the plugin's secret
 *    hashing salt (UPLIFT_HASH_SALT) is generated once into the repo's .env, which medusa-config loads;
 *    prints what a storefront needs: the publishable key, the region's country and the demo shoppers' logins;
 * 5. serves the store with the admin (`medusa develop`), with the Redis event bus, workflow engine and
 *    locking, as in production. `--seed-only` stops before serving (tests, CI).
 *
 * Plain Node on purpose: it runs before anything is built. Full logs of each step go to .tmp/demo/.
 */
"use strict"

const { spawn } = require("child_process")
const crypto = require("crypto")
const fs = require("fs")
const path = require("path")

const ROOT = path.resolve(__dirname, "..")
const LOG_DIR = path.join(ROOT, ".tmp", "demo")
const ENV_FILE = path.join(ROOT, ".env")
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/medusa_uplift"
const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"
const ADMIN_EMAIL = process.env.DEMO_ADMIN_EMAIL || "admin@medusa-uplift.local"
const ADMIN_PASSWORD = process.env.DEMO_ADMIN_PASSWORD || "uplift-demo"
/** Password of the seeded households that have a storefront login (src/demo/customer-logins.ts). */
const SHOPPER_PASSWORD = process.env.DEMO_SHOPPER_PASSWORD || "uplift-shopper"
const PORT = process.env.PORT || "9000"
const CHECK_TIMEOUT_MS = 3000

/** An error whose message is the whole story: printed without a stack trace. */
class DemoError extends Error {}

async function main() {
  const args = new Set(process.argv.slice(2))
  const unknown = [...args].filter((arg) => !["--seed-only", "--reset", "--help", "-h"].includes(arg))
  if (args.has("--help") || args.has("-h") || unknown.length) {
    console.log("usage: npm run demo [-- --seed-only] [-- --reset]\n" +
      "  --seed-only  prepare database, seed and admin user, then exit (tests, CI)\n" +
      "  --reset      drop and recreate the database first\n" +
      "env: DATABASE_URL (default " + DEFAULT_DATABASE_URL + "), REDIS_URL (default " + DEFAULT_REDIS_URL + "),\n" +
      "     DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_SHOPPER_PASSWORD, PORT, UPLIFT_DATA_DIR")
    return unknown.length ? 1 : 0
  }
  const seedOnly = args.has("--seed-only")
  const reset = args.has("--reset")
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL
  const started = Date.now()
  const step = (message) => console.log(`[demo ${seconds(started)}s] ${message}`)

  const { Client } = requireDependency("pg")
  const Redis = requireDependency("ioredis")

  const problems = (await Promise.all([checkPostgres(Client, databaseUrl), checkRedis(Redis, redisUrl)])).filter(Boolean)
  if (problems.length) {
    throw new DemoError(problems.join("\n\n"))
  }
  step(`PostgreSQL answers at ${redact(databaseUrl)}, Redis at ${redact(redisUrl)}`)

  const database = databaseName(databaseUrl)
  const created = await prepareDatabase(Client, databaseUrl, database, reset)
  step(created ? `database ${database} created${reset ? " (reset)" : ""}` : `database ${database} exists`)

  const salt = hashSalt()
  step(salt.generated ? `hashing salt generated into ${path.relative(process.cwd(), ENV_FILE)} (UPLIFT_HASH_SALT)` : "hashing salt from UPLIFT_HASH_SALT")

  // Migrations and the seed run without the Redis modules: the seed writes the plugin's data itself, and
  // the events of a bulk import (thousands of customer.created...) must not flood the live queues.
  const offlineEnv = { ...process.env, UPLIFT_HASH_SALT: salt.value, DATABASE_URL: databaseUrl, REDIS_URL: "", UPLIFT_REDIS_URL: "", MEDUSA_DISABLE_ADMIN: "true", DEMO_SHOPPER_PASSWORD: SHOPPER_PASSWORD }
  // --skip-search: the demo defines no search indexes, and Medusa's search step boots the app once more (about 3 s)
  // only to find them up to date.
  await medusa(["db:migrate", "--skip-search"], offlineEnv, "migrate", () => false)
  step("migrations done")
  // Read before the seed, which creates the admin user when it is missing (as `medusa user` would, in its process).
  const userState = await adminUserState(Client, databaseUrl)
  await medusa(["exec", "./src/scripts/seed-demo.ts"], { ...offlineEnv, DEMO_ADMIN_EMAIL: ADMIN_EMAIL, DEMO_ADMIN_PASSWORD: ADMIN_PASSWORD }, "seed", (line) => line.includes("[seed-demo"))
  step("seed done")
  const storefront = await demoStorefront(Client, databaseUrl)

  const adminUrl = `http://localhost:${PORT}/app`
  console.log("")
  console.log(`  Admin:            ${adminUrl}`)
  console.log(`  Email:            ${ADMIN_EMAIL}`)
  console.log(`  Password:         ${userState === "missing" ? ADMIN_PASSWORD : ADMIN_PASSWORD + " (as set when the user was created)"}`)
  if (storefront.publishableKey) {
    console.log(`  Publishable key:  ${storefront.publishableKey}  (Store API: http://localhost:${PORT}/store/products)`)
    console.log(`  Region:           country code ${storefront.countryCode || "us"} (NEXT_PUBLIC_DEFAULT_REGION of a Next.js starter)`)
  }
  if (storefront.logins.length) {
    console.log(`  Shopper logins:   ${storefront.logins.join(", ")}`)
    console.log(`  Their password:   ${SHOPPER_PASSWORD}  (as set when the login was created)`)
  }
  console.log("")
  step(`ready in ${seconds(started)} s`)
  if (seedOnly) {
    return 0
  }

  await warnAboutEviction(Redis, redisUrl)
  step(`serving the store on port ${PORT} (medusa develop; Ctrl-C stops it)`)
  const origin = `http://localhost:${PORT}`
  return serve({
    ...process.env,
    UPLIFT_HASH_SALT: salt.value,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT,
    ADMIN_CORS: process.env.ADMIN_CORS || origin,
    AUTH_CORS: process.env.AUTH_CORS || `${origin},http://localhost:8000`,
  })
}

// ------------------------------------------------------------------------------------------ checks

/**
 * The plugin's hashing salt: UPLIFT_HASH_SALT from the environment or the .env file, else a new random one
 * appended to .env, so the seed and every later run hash emails, IPs and devices with the same secret.
 */
function hashSalt() {
  const existing = process.env.UPLIFT_HASH_SALT || saltInEnvFile()
  if (existing) return { value: existing, generated: false }
  const value = crypto.randomBytes(32).toString("hex")
  const current = fs.existsSync(ENV_FILE) ? fs.readFileSync(ENV_FILE, "utf8") : ""
  const separator = current && !current.endsWith("\n") ? "\n" : ""
  fs.writeFileSync(ENV_FILE, `${current}${separator}UPLIFT_HASH_SALT=${value}\n`, { mode: 0o600 })
  return { value, generated: true }
}

function saltInEnvFile() {
  if (!fs.existsSync(ENV_FILE)) return null
  const line = fs.readFileSync(ENV_FILE, "utf8").split("\n").find((entry) => /^\s*UPLIFT_HASH_SALT\s*=\s*\S/.test(entry))
  return line ? line.split("=").slice(1).join("=").trim() : null
}

async function checkPostgres(Client, databaseUrl) {
  const client = new Client({ connectionString: maintenanceUrl(databaseUrl, "postgres"), connectionTimeoutMillis: CHECK_TIMEOUT_MS })
  client.on("error", () => {})
  try {
    await client.connect()
    await client.query("select 1")
    return null
  } catch (error) {
    if (error && error.code === "3D000") {
      return null // no "postgres" database: the server answers; prepareDatabase falls back to template1
    }
    const reason = describe(error)
    const local = isLocal(databaseUrl)
    return (
      `PostgreSQL is not reachable at ${redact(databaseUrl)} (${reason}).\n` +
      (local
        ? "  Start it, e.g.  sudo service postgresql start\n" +
          "  or             docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15\n"
        : "") +
      "  Or point DATABASE_URL at a running server, e.g. DATABASE_URL=postgres://postgres@localhost:5432/medusa_uplift"
    )
  } finally {
    await client.end().catch(() => {})
  }
}

async function checkRedis(Redis, redisUrl) {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  })
  let lastError = null
  redis.on("error", (error) => {
    lastError = error
  })
  try {
    await redis.connect()
    await redis.ping()
    return null
  } catch (error) {
    const local = isLocal(redisUrl)
    return (
      `Redis is not reachable at ${redact(redisUrl)} (${describe(lastError || error)}).\n` +
      (local
        ? "  Start it, e.g.  redis-server --daemonize yes\n" +
          "  or             docker run -d -p 6379:6379 redis:7\n"
        : "") +
      "  Or point REDIS_URL at a running server, e.g. REDIS_URL=redis://127.0.0.1:6379"
    )
  } finally {
    redis.disconnect()
  }
}

/** BullMQ (the plugin's queues) needs Redis to keep its keys; an evicting Redis loses jobs. */
async function warnAboutEviction(Redis, redisUrl) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  redis.on("error", () => {})
  try {
    await redis.connect()
    const [, policy] = await redis.config("GET", "maxmemory-policy")
    if (policy && policy !== "noeviction") {
      console.log(`warning: Redis maxmemory-policy is ${policy}; the plugin's queues want noeviction (redis-cli config set maxmemory-policy noeviction)`)
    }
  } catch {
    // CONFIG may be disabled on managed Redis: nothing to say then.
  } finally {
    redis.disconnect()
  }
}

function describe(error) {
  if (!error) return "no answer"
  const code = error.code || (error.errors && error.errors[0] && error.errors[0].code)
  if (code === "ECONNREFUSED") return "connection refused"
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found"
  if (code === "28P01" || code === "28000") return `authentication failed: ${error.message}`
  if (code === "ETIMEDOUT" || /timeout/i.test(String(error.message))) return "timed out"
  return error.message || String(code || error)
}

// ---------------------------------------------------------------------------------------- database

function databaseName(databaseUrl) {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ""))
  if (!name) return "medusa_uplift"
  if (!/^[A-Za-z0-9_\-]+$/.test(name)) {
    throw new DemoError(`database name "${name}" in DATABASE_URL: use letters, digits, _ and - only`)
  }
  return name
}

function maintenanceUrl(databaseUrl, database) {
  const url = new URL(databaseUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** Creates the database when missing (drops it first with --reset). Returns whether it was created. */
async function prepareDatabase(Client, databaseUrl, database, reset) {
  const client = await connectMaintenance(Client, databaseUrl)
  try {
    if (reset) {
      await client.query(`drop database if exists "${database}" with (force)`)
    }
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database])
    if (rowCount) {
      return false
    }
    await client.query(`create database "${database}"`)
    return true
  } catch (error) {
    throw new DemoError(`could not ${reset ? "reset" : "create"} database ${database}: ${error.message}`)
  } finally {
    await client.end().catch(() => {})
  }
}

async function connectMaintenance(Client, databaseUrl) {
  for (const database of ["postgres", "template1"]) {
    const client = new Client({ connectionString: maintenanceUrl(databaseUrl, database), connectionTimeoutMillis: CHECK_TIMEOUT_MS })
    client.on("error", () => {})
    try {
      await client.connect()
      return client
    } catch (error) {
      await client.end().catch(() => {})
      if (error.code !== "3D000") {
        throw new DemoError(`PostgreSQL at ${redact(databaseUrl)}: ${describe(error)}`)
      }
    }
  }
  throw new DemoError(`PostgreSQL at ${redact(databaseUrl)} has neither a postgres nor a template1 database`)
}

async function withDatabase(Client, databaseUrl, work) {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: CHECK_TIMEOUT_MS })
  client.on("error", () => {})
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end().catch(() => {})
  }
}

/** "missing", "exists", or throws when a user row exists without its login (a half-created user). */
async function adminUserState(Client, databaseUrl) {
  return withDatabase(Client, databaseUrl, async (client) => {
    const user = await client.query(`select 1 from "user" where email = $1 and deleted_at is null`, [ADMIN_EMAIL])
    const login = await client.query(
      `select 1 from provider_identity where entity_id = $1 and provider = 'emailpass' and deleted_at is null`,
      [ADMIN_EMAIL]
    )
    if (!user.rowCount && !login.rowCount) return "missing"
    if (user.rowCount && login.rowCount) return "exists"
    throw new DemoError(`admin user ${ADMIN_EMAIL} is half created (user or login missing): run npm run demo -- --reset`)
  })
}

/** What a storefront needs to connect, as the seed kept it in the store's metadata. */
async function demoStorefront(Client, databaseUrl) {
  return withDatabase(Client, databaseUrl, async (client) => {
    const { rows } = await client.query(
      `select s.metadata->'medusa_uplift_demo'->'basics'->>'publishable_key' as key,
              s.metadata->'medusa_uplift_demo'->'logins' as logins,
              (select c.iso_2 from region_country c where c.region_id = s.metadata->'medusa_uplift_demo'->'basics'->>'region_id' order by c.iso_2 limit 1) as country
         from store s limit 1`
    )
    const row = rows[0] || {}
    return { publishableKey: row.key || null, countryCode: row.country || null, logins: Array.isArray(row.logins) ? row.logins : [] }
  }).catch(() => ({ publishableKey: null, countryCode: null, logins: [] }))
}

// -------------------------------------------------------------------------------------- processes

/** Runs the medusa CLI, its output in .tmp/demo/<name>.log; `show` picks lines to echo. Throws on failure. */
function medusa(args, env, name, show) {
  fs.mkdirSync(LOG_DIR, { recursive: true })
  const logPath = path.join(LOG_DIR, `${name}.log`)
  const log = fs.createWriteStream(logPath)
  const tail = []
  return new Promise((resolve, reject) => {
    const child = spawn(medusaBin(), args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    let pending = ""
    const onData = (chunk) => {
      log.write(chunk)
      pending += chunk.toString()
      const lines = pending.split("\n")
      pending = lines.pop()
      for (const raw of lines) {
        const line = stripAnsi(raw).replace(/^\s*info:\s*/, "").trimEnd()
        tail.push(line)
        if (tail.length > 40) tail.shift()
        if (show(line)) console.log(`  ${line.trim()}`)
      }
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    child.on("error", (error) => reject(new DemoError(`could not run medusa ${args[0]}: ${error.message} (did you run npm install?)`)))
    child.on("close", (code) => {
      log.end()
      if (code === 0) {
        resolve()
      } else {
        const relative = path.relative(process.cwd(), logPath)
        reject(new DemoError(`medusa ${args[0]} failed (exit ${code}); last lines, full log in ${relative}:\n` +
          tail.filter(Boolean).slice(-25).map((line) => `  | ${line}`).join("\n")))
      }
    })
  })
}

function serve(env) {
  return new Promise((resolve) => {
    // Own process group: `medusa develop` runs the server in a grandchild that a signal to the CLI
    // alone leaves running, so signals go to the whole group.
    const child = spawn(medusaBin(), ["develop"], { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"], detached: true })
    const forward = (signal) => {
      try {
        process.kill(-child.pid, signal)
      } catch {
        child.kill(signal)
      }
    }
    process.on("SIGINT", forward)
    process.on("SIGTERM", forward)
    process.on("SIGHUP", forward)
    child.on("error", (error) => {
      console.error(`could not start medusa develop: ${error.message}`)
      resolve(1)
    })
    child.on("close", (code) => resolve(code === null ? 0 : code))
  })
}

function medusaBin() {
  const local = path.join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "medusa.cmd" : "medusa")
  if (!fs.existsSync(local)) {
    throw new DemoError("the medusa CLI is not installed: run npm install first")
  }
  return local
}

function requireDependency(name) {
  try {
    return require(name)
  } catch {
    throw new DemoError(`the ${name} package is missing: run npm install first`)
  }
}

// ----------------------------------------------------------------------------------------- helpers

function isLocal(url) {
  try {
    return ["localhost", "127.0.0.1", "::1", "[::1]"].includes(new URL(url).hostname)
  } catch {
    return false
  }
}

function redact(url) {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = "***"
    return parsed.toString()
  } catch {
    return url
  }
}

function stripAnsi(text) {
  return text.replace(/\u001b\[[0-9;]*m/g, "")
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(1)
}

main().then(
  (code) => process.exit(code),
  (error) => {
    if (error instanceof DemoError) {
      console.error(`\ndemo: ${error.message}`)
    } else {
      console.error(`\ndemo: unexpected failure: ${error && error.message ? error.message : error}`)
    }
    process.exit(1)
  }
)
