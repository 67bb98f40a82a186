import type { Operator, RuleAction } from "./fields"
import { RULE_FIELDS } from "./fields"

export interface RuleCondition {
  field: string
  operator: Operator
  value: unknown
}

export interface RuleLike {
  id: string
  name: string
  enabled: boolean
  priority: number
  action: RuleAction
  conditions: RuleCondition[]
}

/** Signal values by rule field; personal identifiers are hashes, missing values are null. */
export type SignalValues = Record<string, number | string | boolean | null>

export type Decision = "allow" | "hold" | "block"

export interface Thresholds {
  /** Hold at or above this score; null disables. */
  hold_score: number | null
  /** Block at or above this score; null (the default) never blocks by score. */
  block_score: number | null
}

export const DEFAULT_THRESHOLDS: Thresholds = { hold_score: 80, block_score: null }

export interface RuleOutcome {
  decision: Decision
  rule: RuleLike | null
  reason: string
}

type Hash = (value: string) => string

function compare(actual: number | string | boolean, operator: Operator, expected: unknown): boolean {
  switch (operator) {
    case "eq":
      return actual === expected
    case "ne":
      return actual !== expected
    case "gt":
      return typeof actual === "number" && actual > (expected as number)
    case "gte":
      return typeof actual === "number" && actual >= (expected as number)
    case "lt":
      return typeof actual === "number" && actual < (expected as number)
    case "lte":
      return typeof actual === "number" && actual <= (expected as number)
    case "in":
      return Array.isArray(expected) && expected.includes(actual)
    case "nin":
      return Array.isArray(expected) && !expected.includes(actual)
  }
}

/** A condition on a missing value (no device id, model unavailable) is false whatever the operator. */
export function conditionHolds(condition: RuleCondition, signals: SignalValues, hash: Hash): boolean {
  const actual = signals[condition.field]
  if (actual === null || actual === undefined) return false
  const spec = RULE_FIELDS[condition.field]
  let expected = condition.value
  if (spec?.hashed) {
    const h = (v: unknown) => (typeof v === "string" ? hash(v) : v)
    expected = Array.isArray(expected) ? expected.map(h) : h(expected)
  } else if (spec?.type === "string") {
    const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : v)
    expected = Array.isArray(expected) ? expected.map(lower) : lower(expected)
  }
  return compare(actual, condition.operator, expected)
}

export function ruleMatches(rule: RuleLike, signals: SignalValues, hash: Hash): boolean {
  return rule.enabled && rule.conditions.length > 0 && rule.conditions.every((c) => conditionHolds(c, signals, hash))
}

const PRECEDENCE: RuleAction[] = ["allow", "block", "hold"]

/**
 * Allow rules first, then block, then hold (within an action, higher priority first, then older);
 * when no rule matches, the score thresholds decide.
 */
export function decide(rules: RuleLike[], signals: SignalValues, score: number | null, thresholds: Thresholds, hash: Hash): RuleOutcome {
  const ordered = [...rules].sort((a, b) => b.priority - a.priority)
  for (const action of PRECEDENCE) {
    const rule = ordered.find((r) => r.action === action && ruleMatches(r, signals, hash))
    if (rule) return { decision: action, rule, reason: `rule "${rule.name}" (${action})` }
  }
  if (score !== null) {
    if (thresholds.block_score !== null && score >= thresholds.block_score)
      return { decision: "block", rule: null, reason: `risk score ${score} is at or above the block threshold ${thresholds.block_score}` }
    if (thresholds.hold_score !== null && score >= thresholds.hold_score)
      return { decision: "hold", rule: null, reason: `risk score ${score} is at or above the hold threshold ${thresholds.hold_score}` }
  }
  return { decision: "allow", rule: null, reason: score === null ? "no rule matched" : `risk score ${score} is below the thresholds` }
}
