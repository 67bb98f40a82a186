import { defineConfig, loadEnv, Modules } from "@medusajs/framework/utils"
import { hostname } from "os"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

const redisUrl = process.env.REDIS_URL || undefined
const workerMode = process.env.MEDUSA_WORKER_MODE as "shared" | "worker" | "server" | undefined

/** With REDIS_URL the store runs as in production: Redis event bus, workflow engine and locking. */
const redisModules = redisUrl
  ? [
      {
        key: Modules.EVENT_BUS,
        resolve: "@medusajs/medusa/event-bus-redis",
        // BullMQ's default of one event at a time caps every subscriber's throughput. The worker's name (host:pid,
        // as the plugin names its own workers) is kept on each job it ran: which process handled an event.
        options: { redisUrl, workerOptions: { concurrency: Number(process.env.EVENT_BUS_CONCURRENCY ?? 8), name: `${hostname()}:${process.pid}` } },
      },
      {
        key: Modules.WORKFLOW_ENGINE,
        resolve: "@medusajs/medusa/workflow-engine-redis",
        options: { redis: { redisUrl } },
      },
      {
        key: Modules.LOCKING,
        resolve: "@medusajs/medusa/locking",
        options: {
          providers: [
            {
              resolve: "@medusajs/medusa/locking-redis",
              id: "locking-redis",
              is_default: true,
              options: { redisUrl },
            },
          ],
        },
      },
    ]
  : []

/** Express `trust proxy` values from the environment: true, false, a hop count or addresses/CIDRs. */
function trustProxyFromEnv(value: string | undefined): boolean | number | string | undefined {
  if (!value) return undefined
  if (value === "true" || value === "false") return value === "true"
  return /^\d+$/.test(value) ? Number(value) : value
}

/** The options a merchant passes to the plugin; every module of the plugin receives them (hashSalt: env UPLIFT_HASH_SALT). */
const upliftOptions = {
  redisUrl: process.env.UPLIFT_REDIS_URL || redisUrl,
  queuePrefix: process.env.UPLIFT_QUEUE_PREFIX || undefined,
  executionProviders: process.env.UPLIFT_EXECUTION_PROVIDERS ? process.env.UPLIFT_EXECUTION_PROVIDERS.split(",") : undefined,
  fraudFailClosed: process.env.UPLIFT_FRAUD_FAIL_CLOSED === "true" || undefined,
  databaseTimeoutMs: process.env.UPLIFT_DATABASE_TIMEOUT_MS ? Number(process.env.UPLIFT_DATABASE_TIMEOUT_MS) : undefined,
  trustProxy: trustProxyFromEnv(process.env.UPLIFT_TRUST_PROXY),
  profileAttributes: process.env.UPLIFT_PROFILE_ATTRIBUTES ? process.env.UPLIFT_PROFILE_ATTRIBUTES.split(",") : undefined,
  ingestionCartReads: process.env.UPLIFT_INGESTION_CART_READS || undefined,
  /** Set (even empty: none of region, channel, customer_group) to choose the offer attributes; unset keeps the default. */
  offerAttributes: process.env.UPLIFT_OFFER_ATTRIBUTES !== undefined ? process.env.UPLIFT_OFFER_ATTRIBUTES.split(",").filter(Boolean) : undefined,
}

/** Integration tests of fraud holds add a payment provider that captures at authorization. */
const testPaymentModules =
  process.env.UPLIFT_TEST_AUTO_CAPTURE_PROVIDER === "true"
    ? [
        {
          key: Modules.PAYMENT,
          resolve: "@medusajs/medusa/payment",
          options: { providers: [{ resolve: `${process.cwd()}/integration-tests/fixtures/auto-capture-payment`, id: "test" }] },
        },
      ]
    : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL || "postgres://postgres@localhost:5432/medusa_uplift",
    redisUrl,
    workerMode,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000,http://localhost:8000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: {
    disable: process.env.MEDUSA_DISABLE_ADMIN === "true",
  },
  modules: [
    ...redisModules,
    ...testPaymentModules,
    { resolve: "./src/modules/uplift", options: upliftOptions },
    { resolve: "./src/modules/discounts", options: upliftOptions },
    { resolve: "./src/modules/fraud", options: upliftOptions },
    { resolve: "./src/modules/recommendations", options: upliftOptions },
  ],
})
