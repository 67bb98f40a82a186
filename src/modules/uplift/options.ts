import { z } from "@medusajs/framework/zod"

const EXECUTION_PROVIDERS = ["cuda", "tensorrt", "cpu"] as const

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
    registerCheckoutValidateHook: z.boolean().default(true),
    queueTimeoutMs: z.number().int().min(50).max(60_000).default(1_000),
    /** How long a request waits for a database connection (Medusa's own default: 60 s); unset leaves it. */
    databaseTimeoutMs: z.number().int().min(100).max(600_000).optional(),
    /** How much worse (absolute, in the model's selection metric) a challenger may be and still be activated. */
    challengerTolerance: z.number().min(0).max(1).default(0.01),
  })
  .strict()

export type UpliftOptions = z.infer<typeof upliftOptionsSchema>

/** Parses plugin options, throwing one message that names every bad option. */
export function parseUpliftOptions(raw: unknown): UpliftOptions {
  const cleaned = Object.fromEntries(
    Object.entries((raw ?? {}) as Record<string, unknown>).filter(
      ([key, value]) => value !== undefined && !MEDUSA_INJECTED_KEYS.has(key)
    )
  )
  const result = upliftOptionsSchema.safeParse(cleaned)
  if (result.success) {
    return result.data
  }
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : (issue as { keys?: string[] }).keys?.join(", ")
    return `"${path}": ${issue.message}`
  })
  throw new Error(`medusa-uplift: invalid plugin option ${problems.join("; ")}`)
}

/** Keys Medusa itself adds to every module's options. */
const MEDUSA_INJECTED_KEYS = new Set(["providers", "definition", "scope", "resources", "dependencies", "database", "alias", "main", "worker_mode"])
