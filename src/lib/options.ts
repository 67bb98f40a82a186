import { z } from "@medusajs/framework/zod"
import { compileTrustedProxies, TRUST_PRIVATE_NETWORKS } from "./trusted-proxies"

/** The tier promotions' codes read `<prefix>-10-OFF` (src/modules/discounts/offer-codes.ts). */
export const DEFAULT_OFFER_CODE_PREFIX = "YOUR"
/** Letters and digits, starting with a letter: the plugin option `offerCodePrefix` is checked against it. */
export const OFFER_CODE_PREFIX_PATTERN = /^[A-Z][A-Z0-9]{0,19}$/

const EXECUTION_PROVIDERS = ["cuda", "tensorrt", "cpu"] as const

const trustProxy = z
  .union([z.boolean(), z.number().int().min(0).max(32), z.string().min(1), z.array(z.string().min(1)).min(1)])
  .refine((value) => compilesAsTrust(value), {
    message: 'must be true, false, a number of hops, or addresses/CIDR ranges/"loopback"|"linklocal"|"uniquelocal"',
  })

function compilesAsTrust(value: boolean | number | string | string[]): boolean {
  try {
    compileTrustedProxies(value)
    return true
  } catch {
    return false
  }
}

const redisUrl = z
  .string()
  .refine((value) => /^rediss?:\/\/[^\s]+$/.test(value), {
    message: "must be a redis:// or rediss:// URL, e.g. redis://localhost:6379",
  })

/** Options merchants pass as `plugins: [{ resolve: "medusa-uplift", options }]`. */
export const upliftOptionsSchema = z
  .object({
    redisUrl: redisUrl.optional(),
    queuePrefix: z
      .string()
      .regex(/^\{[A-Za-z0-9_-]+\}$/, "must be a Redis Cluster hash tag such as {uplift}")
      .default("{uplift}"),
    executionProviders: z.array(z.enum(EXECUTION_PROVIDERS)).min(1).default(["cuda", "cpu"]),
    defaultMarginPercent: z.number().min(0).max(100).default(30),
    fraudFailClosed: z.boolean().default(false),
    /** A held checkout whose payment would be captured at authorization: refuse it, or refund the capture and keep the hold. */
    heldAutoCapture: z.enum(["refuse", "refund"]).default("refund"),
    /** Payment providers that capture when they authorize (e.g. Stripe with its automatic capture option). */
    autoCaptureProviders: z.array(z.string().min(1)).default([]),
    trainingCron: z.string().min(9).default("0 3 * * *"),
    batchScoringCron: z.string().min(9).default("30 4 * * *"),
    registerPromotionContextHook: z.boolean().default(true),
    /** Start of the personal discount codes shoppers see (`YOUR-10-OFF`): capital letters and digits. */
    offerCodePrefix: z.string().regex(OFFER_CODE_PREFIX_PATTERN, "must be capital letters and digits starting with a letter, e.g. YOUR").default(DEFAULT_OFFER_CODE_PREFIX),
    registerCheckoutValidateHook: z.boolean().default(true),
    queueTimeoutMs: z.number().int().min(50).max(60_000).default(1_000),
    /** How long a request waits for a database connection (Medusa's own default: 60 s); unset leaves it. */
    databaseTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    /** How much worse (absolute, in the model's selection metric) a challenger may be and still be activated. */
    challengerTolerance: z.number().min(0).max(1).default(0.01),
    /** Secret salt of the SHA-256 digests of emails, IPs and device ids; falls back to UPLIFT_HASH_SALT. */
    hashSalt: z.string().min(1).optional(),
    /** Which proxies may set X-Forwarded-For, with Express's `trust proxy` values; the client IP is read through them. */
    trustProxy: trustProxy.default([...TRUST_PRIVATE_NETWORKS]),
    /** Client signal writes allowed per client IP and per cart in each window; more are ignored. */
    clientSignalRateLimit: z
      .object({
        perIp: z.number().int().min(1).max(100_000).default(60),
        perCart: z.number().int().min(1).max(1_000).default(10),
        windowSeconds: z.number().int().min(1).max(86_400).default(60),
      })
      .strict()
      .default({ perIp: 60, perCart: 10, windowSeconds: 60 }),
    /** How far back checkouts count as linked accounts (shared device, IP, address, email). */
    linkedAccountsWindowDays: z.number().int().min(1).max(3_650).default(30),
    /** Customer attributes the offer model sees (with the profileAttributes metadata): the cart's region and sales channel, the customer's groups. */
    offerAttributes: z.array(z.enum(["region", "channel", "customer_group"])).default(["region", "channel", "customer_group"]),
    /**
     * How cart events read their carts: `tables`, one SQL read of the cart module's tables per batch (falls
     * back to `query` where those tables are not in the plugin's database), or `query`, Medusa's query graph.
     */
    ingestionCartReads: z.enum(["tables", "query"]).default("tables"),
    /** Customer metadata keys copied into the plugin's customer profiles; nothing else is kept. */
    profileAttributes: z.array(z.string().min(1).max(200)).max(200).default([]),
  })
  .strict()

export type UpliftOptions = Omit<z.infer<typeof upliftOptionsSchema>, "hashSalt"> & { hashSalt: string }

/** The public default salt: fine for tests and development, refused in production. */
export const DEFAULT_HASH_SALT = "medusa-uplift"
const MIN_PRODUCTION_SALT_LENGTH = 16

/** Parses plugin options, throwing one message that names every bad option. */
export function parseUpliftOptions(raw: unknown): UpliftOptions {
  const cleaned = Object.fromEntries(
    Object.entries((raw ?? {}) as Record<string, unknown>).filter(
      ([key, value]) => value !== undefined && !MEDUSA_INJECTED_KEYS.has(key)
    )
  )
  const result = upliftOptionsSchema.safeParse(cleaned)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.length ? issue.path.join(".") : (issue as { keys?: string[] }).keys?.join(", ")
      return `"${path}": ${issue.message}`
    })
    throw new Error(`medusa-uplift: invalid plugin option ${problems.join("; ")}`)
  }
  return { ...result.data, hashSalt: hashSalt(result.data.hashSalt, process.env) }
}

/**
 * The option, else UPLIFT_HASH_SALT, else the public default. In production a public or short salt would
 * let anyone who reads the tables confirm a guessed email or IP, so the boot stops naming the option.
 */
export function hashSalt(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const salt = option ?? env.UPLIFT_HASH_SALT ?? DEFAULT_HASH_SALT
  const unsafe = salt === DEFAULT_HASH_SALT || salt.trim().length < MIN_PRODUCTION_SALT_LENGTH
  if (env.NODE_ENV === "production" && unsafe) {
    throw new Error(
      `medusa-uplift: invalid plugin option "hashSalt": set a secret of at least ${MIN_PRODUCTION_SALT_LENGTH} characters ` +
        `(plugin option hashSalt or env UPLIFT_HASH_SALT, e.g. the output of \`openssl rand -hex 32\`); the public default is refused in production`
    )
  }
  return salt
}

/** Keys Medusa itself adds to every module's options. */
const MEDUSA_INJECTED_KEYS = new Set(["providers", "definition", "scope", "resources", "dependencies", "database", "alias", "main", "worker_mode"])
