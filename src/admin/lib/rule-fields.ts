/**
 * The fields, operators and actions a fraud rule may use: the fraud module's own constants (plain data, no
 * server imports), bundled into the admin so the editor offers exactly what the API accepts.
 */
export { OPERATORS, OPERATORS_BY_TYPE, RULE_ACTIONS, RULE_FIELDS } from "../../modules/fraud/rules/fields"
export type { FieldSpec, FieldType, Operator, RuleAction } from "../../modules/fraud/rules/fields"

export const OPERATOR_LABELS: Record<string, string> = {
  eq: "is",
  ne: "is not",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  in: "is one of",
  nin: "is none of",
}
