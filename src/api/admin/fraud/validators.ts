import { z } from "@medusajs/framework/zod"

export { CreateFraudRuleSchema, UpdateFraudRuleSchema } from "../../../modules/fraud/rules/validators"

const id = (field: string) => z.string().regex(/^[A-Za-z0-9_|:.-]{1,128}$/, `${field} must be an id`)
const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
}

export const ListRulesQuery = z.object({ ...page, action: z.enum(["allow", "hold", "block"]).optional(), enabled: z.enum(["true", "false"]).optional() }).strict()
export const ListHoldsQuery = z.object({ ...page, status: z.enum(["open", "released", "rejected"]).optional(), order_id: id("order_id").optional() }).strict()
export const ListAssessmentsQuery = z.object({ ...page, order_id: id("order_id").optional(), cart_id: id("cart_id").optional(), decision: z.enum(["allow", "hold", "block"]).optional() }).strict()
export const ListLabelsQuery = z.object({ ...page, order_id: id("order_id").optional(), label: z.enum(["fraud", "legit"]).optional() }).strict()

/** Postgres text cannot hold NUL characters; refuse them with the field named instead of failing later. */
const note = z.string().trim().max(2000).refine((text) => !text.includes("\u0000"), "note must not contain NUL characters")

export const ResolveHoldBody = z.object({ note: note.optional() }).strict()
export const CreateLabelBody = z
  .object({
    order_id: id("order_id"),
    label: z.enum(["fraud", "legit"]),
    source: z.enum(["chargeback", "manual", "hold_release", "hold_reject"]),
    note: note.optional(),
  })
  .strict()
const score = z.number().int().min(0).max(100).nullable()
export const SettingsBody = z.object({ hold_score: score.optional(), block_score: score.optional() }).strict()

export type ResolveHold = z.infer<typeof ResolveHoldBody>
export type CreateLabel = z.infer<typeof CreateLabelBody>
export type Settings = z.infer<typeof SettingsBody>
