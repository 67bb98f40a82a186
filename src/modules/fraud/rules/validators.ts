import { z } from "@medusajs/framework/zod"
import { OPERATORS, OPERATORS_BY_TYPE, RULE_ACTIONS, RULE_FIELDS } from "./fields"

const scalar = z.union([z.string().max(500), z.number().finite(), z.boolean()])

export const RuleConditionSchema = z
  .object({
    field: z.string().max(100),
    operator: z.enum(OPERATORS),
    value: z.union([scalar, z.array(scalar).min(1).max(1000)]),
  })
  .strict()
  .superRefine((condition, ctx) => {
    const spec = RULE_FIELDS[condition.field]
    if (!spec) {
      ctx.addIssue({ code: "custom", path: ["field"], message: `unknown field "${condition.field}"` })
      return
    }
    if (!OPERATORS_BY_TYPE[spec.type].includes(condition.operator)) {
      ctx.addIssue({
        code: "custom",
        path: ["operator"],
        message: `operator "${condition.operator}" is not allowed on ${spec.type} field "${condition.field}" (use ${OPERATORS_BY_TYPE[spec.type].join(", ")})`,
      })
      return
    }
    const list = condition.operator === "in" || condition.operator === "nin"
    if (list !== Array.isArray(condition.value)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: list ? `operator ${condition.operator} needs an array value` : `operator ${condition.operator} needs a single value` })
      return
    }
    const values = Array.isArray(condition.value) ? condition.value : [condition.value]
    if (values.some((v) => typeof v !== spec.type)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `field "${condition.field}" takes ${spec.type} values` })
      return
    }
    // A count read from an identity's latest checkouts never passes its cap: a condition beyond it would never hold.
    if (spec.max !== undefined && values.some((v) => (v as number) > spec.max!)) {
      ctx.addIssue({ code: "custom", path: ["value"], message: `field "${condition.field}" counts up to ${spec.max} (an identity's latest checkouts): use a value of ${spec.max} or less` })
    }
  })

const ruleShape = {
  name: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f]*$/, "name must not contain control characters"),
  enabled: z.boolean(),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  conditions: z.array(RuleConditionSchema).min(1).max(50),
  action: z.enum(RULE_ACTIONS),
}

export const CreateFraudRuleSchema = z
  .object({ ...ruleShape, enabled: ruleShape.enabled.default(true), priority: ruleShape.priority.default(0) })
  .strict()
export const UpdateFraudRuleSchema = z.object(ruleShape).partial().strict()

export type CreateFraudRule = z.infer<typeof CreateFraudRuleSchema>
export type UpdateFraudRule = z.infer<typeof UpdateFraudRuleSchema>
