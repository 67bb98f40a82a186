import { z } from "@medusajs/framework/zod"

const percent = z.number().gt(0).lte(100)
const ROUNDS = ["first_order", "repeat", "win_back", "abandoned_cart"] as const

const policyFields = {
  name: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f]*$/, "name must not contain control characters"),
  status: z.enum(["draft", "active", "paused", "shadow"]),
  strategy: z.enum(["model", "fixed"]),
  target: z.enum(["order", "items"]),
  rounds: z.array(z.enum(ROUNDS)).min(1).max(4),
  win_back_after_days: z.number().int().min(1).max(3650).nullable(),
  abandoned_after_hours: z.number().min(1).max(24 * 90).nullable(),
  ladder: z.array(percent).min(1).max(10),
  max_discount_percent: percent,
  min_margin_percent: z.number().min(0).max(100),
  budget: z
    .object({
      amount: z.number().positive().max(1e12),
      currency_code: z.string().regex(/^[a-zA-Z]{3}$/, "budget.currency_code must be a 3-letter ISO currency code"),
      period: z.enum(["day", "week", "month"]),
    })
    .strict()
    .nullable(),
  holdout_percent: z.number().min(0).max(50),
  exploration_percent: z.number().min(0).max(50),
  per_customer_limit: z.number().int().min(1).max(1000),
  offer_ttl_hours: z.number().int().min(1).max(24 * 365),
  stacking: z.enum(["exclusive", "combine"]),
  max_total_discount_percent: percent.nullable(),
  objective: z.enum(["profit", "revenue", "conversion"]),
  cold_start: z.enum(["no_discount", "prior", "explore"]),
  fairness: z
    .object({ attribute: z.enum(["country", "region"]), max_gap: z.number().min(0).max(1) })
    .strict()
    .nullable(),
}

type PolicyInput = Partial<{ [K in keyof typeof policyFields]: z.infer<(typeof policyFields)[K]> }>

/** Cross-field rules, each reported on the field that must change. */
function checkConsistency(policy: PolicyInput, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message: `${path} ${message}` })
  if (policy.ladder && policy.max_discount_percent !== undefined && policy.ladder.some((level) => level > policy.max_discount_percent!)) {
    issue("ladder", "every ladder level must be at most max_discount_percent")
  }
  if (policy.rounds?.includes("win_back") && !policy.win_back_after_days) {
    issue("win_back_after_days", "is required when rounds include win_back")
  }
  if (policy.rounds?.includes("abandoned_cart") && !policy.abandoned_after_hours) {
    issue("abandoned_after_hours", "is required when rounds include abandoned_cart")
  }
  if (policy.stacking === "combine" && !policy.max_total_discount_percent) {
    issue("max_total_discount_percent", "is required when stacking is combine")
  }
}

export const CreateDiscountPolicy = z
  .object({
    ...policyFields,
    status: policyFields.status.default("draft"),
    strategy: policyFields.strategy.default("model"),
    target: policyFields.target.default("order"),
    win_back_after_days: policyFields.win_back_after_days.optional(),
    abandoned_after_hours: policyFields.abandoned_after_hours.optional(),
    min_margin_percent: policyFields.min_margin_percent.default(0),
    budget: policyFields.budget.optional(),
    holdout_percent: policyFields.holdout_percent.default(10),
    exploration_percent: policyFields.exploration_percent.default(5),
    per_customer_limit: policyFields.per_customer_limit.default(1),
    offer_ttl_hours: policyFields.offer_ttl_hours.default(72),
    stacking: policyFields.stacking.default("exclusive"),
    max_total_discount_percent: policyFields.max_total_discount_percent.optional(),
    objective: policyFields.objective.default("profit"),
    cold_start: policyFields.cold_start.default("no_discount"),
    fairness: policyFields.fairness.optional(),
  })
  .strict()
  .superRefine(checkConsistency)

export const UpdateDiscountPolicy = z
  .object(Object.fromEntries(Object.entries(policyFields).map(([key, schema]) => [key, schema.optional()])) as {
    [K in keyof typeof policyFields]: z.ZodOptional<(typeof policyFields)[K]>
  })
  .strict()
  .superRefine(checkConsistency)

export const ListDiscountPolicies = z
  .object({
    status: z.enum(["draft", "active", "paused", "shadow"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1e9).default(0),
  })
  .strict()

export const ListPersonalOffers = z
  .object({
    customer_id: z.string().max(100).optional(),
    policy_id: z.string().max(100).optional(),
    order_id: z.string().max(100).optional(),
    status: z.enum(["active", "claimed", "held", "redeemed", "expired", "revoked"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1e9).default(0),
  })
  .strict()

export const PolicyReportQuery = z
  .object({ window_days: z.coerce.number().int().min(1).max(365).default(14) })
  .strict()

export type CreateDiscountPolicyBody = z.infer<typeof CreateDiscountPolicy>
export type UpdateDiscountPolicyBody = z.infer<typeof UpdateDiscountPolicy>
