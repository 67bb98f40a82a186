import { OPERATORS_BY_TYPE, OPERATOR_LABELS, RULE_FIELDS, type FieldType } from "./rule-fields"
import type { FraudRule, RuleCondition } from "./types"

/** A condition as typed in the editor: the value stays text until the body is built. */
export interface ConditionDraft {
  field: string
  operator: string
  value: string
}

export interface RuleDraft {
  name: string
  action: FraudRule["action"]
  priority: string
  enabled: boolean
  conditions: ConditionDraft[]
}

export const NEW_RULE: RuleDraft = {
  name: "",
  action: "hold",
  priority: "0",
  enabled: true,
  conditions: [{ field: "order.total", operator: "gt", value: "500" }],
}

const isList = (operator: string) => operator === "in" || operator === "nin"

function valueText(value: RuleCondition["value"]): string {
  return Array.isArray(value) ? value.join(", ") : String(value)
}

export function ruleToDraft(rule: FraudRule): RuleDraft {
  return {
    name: rule.name,
    action: rule.action,
    priority: String(rule.priority),
    enabled: rule.enabled,
    conditions: rule.conditions.map((c) => ({ field: c.field, operator: c.operator, value: valueText(c.value) })),
  }
}

function parseScalar(text: string, type: FieldType): string | number | boolean | undefined {
  const trimmed = text.trim()
  if (type === "number") {
    const n = Number(trimmed)
    return trimmed !== "" && Number.isFinite(n) ? n : undefined
  }
  if (type === "boolean") return trimmed === "true" ? true : trimmed === "false" ? false : undefined
  return trimmed === "" ? undefined : trimmed
}

export interface RuleErrors {
  name?: string
  priority?: string
  conditions?: string
  byCondition: Record<number, string>
  form?: string
}

/** The same checks as the API's rule validator: known field, operator allowed for its type, value of that type. */
export function validateRule(draft: RuleDraft): RuleErrors {
  const errors: RuleErrors = { byCondition: {} }
  if (!draft.name.trim()) errors.name = "Required"
  else if (draft.name.trim().length > 200) errors.name = "At most 200 characters"
  const priority = Number(draft.priority)
  if (draft.priority.trim() === "" || !Number.isInteger(priority) || Math.abs(priority) > 1_000_000) errors.priority = "A whole number between -1,000,000 and 1,000,000"
  if (!draft.conditions.length) errors.conditions = "Add at least one condition"
  if (draft.conditions.length > 50) errors.conditions = "At most 50 conditions"
  draft.conditions.forEach((condition, index) => {
    const spec = RULE_FIELDS[condition.field]
    if (!spec) errors.byCondition[index] = `Unknown field "${condition.field}"`
    else if (!OPERATORS_BY_TYPE[spec.type].includes(condition.operator as never))
      errors.byCondition[index] = `"${OPERATOR_LABELS[condition.operator] ?? condition.operator}" does not apply to a ${spec.type} field`
    else {
      const parts = isList(condition.operator) ? condition.value.split(",") : [condition.value]
      if (parts.some((part) => parseScalar(part, spec.type) === undefined))
        errors.byCondition[index] = spec.type === "boolean" ? "Value must be true or false" : spec.type === "number" ? "Value must be a number" : "Value is required"
    }
  })
  return errors
}

export function hasErrors(errors: RuleErrors): boolean {
  return Boolean(errors.name || errors.priority || errors.conditions || errors.form || Object.keys(errors.byCondition).length)
}

export function draftToBody(draft: RuleDraft): Record<string, unknown> {
  return {
    name: draft.name.trim(),
    action: draft.action,
    priority: Number(draft.priority),
    enabled: draft.enabled,
    conditions: draft.conditions.map((condition) => {
      const type = RULE_FIELDS[condition.field]?.type ?? "string"
      const value = isList(condition.operator)
        ? condition.value.split(",").map((part) => parseScalar(part, type))
        : parseScalar(condition.value, type)
      return { field: condition.field, operator: condition.operator, value }
    }),
  }
}

export function describeCondition(condition: RuleCondition): string {
  return `${condition.field} ${OPERATOR_LABELS[condition.operator] ?? condition.operator} ${valueText(condition.value)}`
}
