import type { DiscountPolicy, PolicyStatus, Round } from "./types"

/**
 * The discount policy form: its values as typed, the client-side checks (the same bounds and cross-field
 * rules as the API's validators), the request body, and the mapping of the API's 400 messages to fields.
 */

export const ROUNDS: { value: Round; label: string }[] = [
  { value: "first_order", label: "First order" },
  { value: "repeat", label: "Repeat" },
  { value: "win_back", label: "Win-back" },
  { value: "abandoned_cart", label: "Abandoned cart" },
]

export const STATUSES: PolicyStatus[] = ["draft", "active", "paused", "shadow"]

export interface PolicyFormValues {
  name: string
  status: PolicyStatus
  strategy: "model" | "fixed"
  target: "order" | "items"
  rounds: Round[]
  win_back_after_days: string
  abandoned_after_hours: string
  ladder: string
  max_discount_percent: string
  min_margin_percent: string
  budget_enabled: boolean
  budget_amount: string
  budget_currency_code: string
  budget_period: "day" | "week" | "month"
  holdout_percent: string
  exploration_percent: string
  per_customer_limit: string
  offer_ttl_hours: string
  stacking: "exclusive" | "combine"
  max_total_discount_percent: string
  objective: "profit" | "revenue" | "conversion"
  cold_start: "no_discount" | "prior" | "explore"
  fairness_enabled: boolean
  fairness_attribute: "country" | "region"
  fairness_max_gap: string
}

export type PolicyField = Exclude<keyof PolicyFormValues, "budget_enabled" | "fairness_enabled">
export type FieldErrors = Partial<Record<PolicyField | "form", string>>

export const EMPTY_POLICY: PolicyFormValues = {
  name: "",
  status: "draft",
  strategy: "model",
  target: "order",
  rounds: ["first_order"],
  win_back_after_days: "",
  abandoned_after_hours: "",
  ladder: "5, 10, 15",
  max_discount_percent: "15",
  min_margin_percent: "0",
  budget_enabled: false,
  budget_amount: "",
  budget_currency_code: "usd",
  budget_period: "week",
  holdout_percent: "10",
  exploration_percent: "5",
  per_customer_limit: "1",
  offer_ttl_hours: "72",
  stacking: "exclusive",
  max_total_discount_percent: "",
  objective: "profit",
  cold_start: "no_discount",
  fairness_enabled: false,
  fairness_attribute: "country",
  fairness_max_gap: "0.2",
}

const str = (value: number | null | undefined) => (value === null || value === undefined ? "" : String(value))

export function policyToForm(policy: DiscountPolicy): PolicyFormValues {
  return {
    name: policy.name,
    status: policy.status,
    strategy: policy.strategy,
    target: policy.target,
    rounds: policy.rounds,
    win_back_after_days: str(policy.win_back_after_days),
    abandoned_after_hours: str(policy.abandoned_after_hours),
    ladder: policy.ladder.join(", "),
    max_discount_percent: str(policy.max_discount_percent),
    min_margin_percent: str(policy.min_margin_percent),
    budget_enabled: Boolean(policy.budget),
    budget_amount: str(policy.budget?.amount),
    budget_currency_code: policy.budget?.currency_code ?? "usd",
    budget_period: policy.budget?.period ?? "week",
    holdout_percent: str(policy.holdout_percent),
    exploration_percent: str(policy.exploration_percent),
    per_customer_limit: str(policy.per_customer_limit),
    offer_ttl_hours: str(policy.offer_ttl_hours),
    stacking: policy.stacking,
    max_total_discount_percent: str(policy.max_total_discount_percent),
    objective: policy.objective,
    cold_start: policy.cold_start ?? "no_discount",
    fairness_enabled: Boolean(policy.fairness),
    fairness_attribute: policy.fairness?.attribute ?? "country",
    fairness_max_gap: str(policy.fairness?.max_gap ?? 0.2),
  }
}

interface NumberRule {
  min: number
  /** true: the minimum itself is not allowed (zod's gt/positive). */
  exclusiveMin?: boolean
  max: number
  int?: boolean
}

const NUMBER_RULES: Partial<Record<PolicyField, NumberRule>> = {
  win_back_after_days: { min: 1, max: 3650, int: true },
  abandoned_after_hours: { min: 1, max: 24 * 90 },
  max_discount_percent: { min: 0, exclusiveMin: true, max: 100 },
  min_margin_percent: { min: 0, max: 100 },
  budget_amount: { min: 0, exclusiveMin: true, max: 1e12 },
  holdout_percent: { min: 0, max: 50 },
  exploration_percent: { min: 0, max: 50 },
  per_customer_limit: { min: 1, max: 1000, int: true },
  offer_ttl_hours: { min: 1, max: 24 * 365, int: true },
  max_total_discount_percent: { min: 0, exclusiveMin: true, max: 100 },
  fairness_max_gap: { min: 0, max: 1 },
}

const OPTIONAL_NUMBERS = new Set<PolicyField>(["win_back_after_days", "abandoned_after_hours", "max_total_discount_percent"])

function parseNumber(text: string): number | null {
  const trimmed = text.trim()
  if (trimmed === "") return null
  const value = Number(trimmed)
  return Number.isFinite(value) ? value : NaN
}

function checkNumber(value: number, rule: NumberRule): string | undefined {
  if (Number.isNaN(value)) return "Must be a number"
  if (rule.int && !Number.isInteger(value)) return "Must be a whole number"
  if (rule.exclusiveMin ? value <= rule.min : value < rule.min) return rule.exclusiveMin ? `Must be greater than ${rule.min}` : `Must be at least ${rule.min}`
  if (value > rule.max) return `Must be at most ${rule.max}`
  return undefined
}

export function parseLadder(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((part) => Number(part.replace(/%$/, "")))
}

/** The same checks as the API's CreateDiscountPolicy schema, reported on the field that must change. */
export function validatePolicyForm(values: PolicyFormValues): FieldErrors {
  const errors: FieldErrors = {}
  const name = values.name.trim()
  if (!name) errors.name = "Required"
  else if (name.length > 200) errors.name = "Must be at most 200 characters"
  else if (/[\u0000-\u001f]/.test(name)) errors.name = "Must not contain control characters"

  if (values.rounds.length === 0) errors.rounds = "Choose at least one round"

  const ladder = parseLadder(values.ladder)
  if (ladder.length === 0) errors.ladder = "Enter at least one level, e.g. 5, 10, 15"
  else if (ladder.length > 10) errors.ladder = "At most 10 levels"
  else if (ladder.some((level) => !Number.isFinite(level) || level <= 0 || level > 100)) errors.ladder = "Each level must be a percentage greater than 0 and at most 100"

  const numbers: Partial<Record<PolicyField, number | null>> = {}
  for (const [field, rule] of Object.entries(NUMBER_RULES) as [PolicyField, NumberRule][]) {
    if (field.startsWith("budget_") && !values.budget_enabled) continue
    if (field.startsWith("fairness_") && !values.fairness_enabled) continue
    const value = parseNumber(values[field] as string)
    numbers[field] = value
    if (value === null) {
      if (!OPTIONAL_NUMBERS.has(field)) errors[field] = "Required"
      continue
    }
    const message = checkNumber(value, rule)
    if (message) errors[field] = message
  }
  if (values.budget_enabled && !/^[a-zA-Z]{3}$/.test(values.budget_currency_code.trim())) {
    errors.budget_currency_code = "Must be a 3-letter ISO currency code"
  }

  const max = numbers.max_discount_percent
  if (!errors.ladder && !errors.max_discount_percent && typeof max === "number" && ladder.some((level) => level > max)) {
    errors.ladder = "Every ladder level must be at most the maximum discount"
  }
  if (values.rounds.includes("win_back") && !numbers.win_back_after_days && !errors.win_back_after_days) {
    errors.win_back_after_days = "Required when rounds include win-back"
  }
  if (values.rounds.includes("abandoned_cart") && !numbers.abandoned_after_hours && !errors.abandoned_after_hours) {
    errors.abandoned_after_hours = "Required when rounds include abandoned cart"
  }
  if (values.stacking === "combine" && !numbers.max_total_discount_percent && !errors.max_total_discount_percent) {
    errors.max_total_discount_percent = "Required when stacking is combine"
  }
  return errors
}

const numberOrNull = (text: string) => (text.trim() === "" ? null : Number(text))

/** The request body for POST /admin/discount-policies (create) and /:id (update): every field, explicit. */
export function formToBody(values: PolicyFormValues): Record<string, unknown> {
  return {
    name: values.name.trim(),
    status: values.status,
    strategy: values.strategy,
    target: values.target,
    rounds: values.rounds,
    win_back_after_days: numberOrNull(values.win_back_after_days),
    abandoned_after_hours: numberOrNull(values.abandoned_after_hours),
    ladder: parseLadder(values.ladder),
    max_discount_percent: Number(values.max_discount_percent),
    min_margin_percent: Number(values.min_margin_percent),
    budget: values.budget_enabled
      ? { amount: Number(values.budget_amount), currency_code: values.budget_currency_code.trim().toLowerCase(), period: values.budget_period }
      : null,
    holdout_percent: Number(values.holdout_percent),
    exploration_percent: Number(values.exploration_percent),
    per_customer_limit: Number(values.per_customer_limit),
    offer_ttl_hours: Number(values.offer_ttl_hours),
    stacking: values.stacking,
    max_total_discount_percent: numberOrNull(values.max_total_discount_percent),
    objective: values.objective,
    cold_start: values.cold_start,
    fairness: values.fairness_enabled ? { attribute: values.fairness_attribute, max_gap: Number(values.fairness_max_gap) } : null,
  }
}

const FORM_FIELDS = new Set<string>(Object.keys(EMPTY_POLICY))

/** An API path (`budget.amount`, `budget, amount`, `ladder, 2`) as the form field that holds it. */
export function fieldOfPath(path: string): PolicyField | undefined {
  const parts = path.split(/[.,]\s*|\s*,\s*/).map((part) => part.trim()).filter(Boolean)
  const [head, second] = parts
  if (!head) return undefined
  if ((head === "budget" || head === "fairness") && second && FORM_FIELDS.has(`${head}_${second}`)) return `${head}_${second}` as PolicyField
  if (head === "budget") return "budget_amount"
  if (head === "fairness") return "fairness_max_gap"
  return FORM_FIELDS.has(head) ? (head as PolicyField) : undefined
}

/**
 * Splits a 400 message from the API ("Invalid request: Value for field 'holdout_percent' too big, ...; ladder
 * every ladder level ...") into errors by form field; what names no field goes to `form`.
 */
export function apiErrorsByField(message: string): FieldErrors {
  const body = message.replace(/^Invalid request:\s*/i, "")
  const errors: FieldErrors = {}
  for (const part of body.split(/;\s+/).filter(Boolean)) {
    const quoted = /field '([^']+)'/i.exec(part)
    const unrecognized = /^Unrecognized fields: '([^']+)'/.exec(part)
    const leading = /^([a-z_]+(?:\.[a-z_]+)*)(?::|\s)/.exec(part)
    const path = quoted?.[1] ?? (unrecognized ? undefined : leading?.[1])
    const field = path ? fieldOfPath(path) : undefined
    const key: PolicyField | "form" = field ?? "form"
    errors[key] = errors[key] ? `${errors[key]}; ${part}` : part
  }
  if (!Object.keys(errors).length) errors.form = message
  return errors
}
