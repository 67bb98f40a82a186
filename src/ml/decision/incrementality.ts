import { differenceOf, estimateFromTerms, ipsTerms, matchedDecisions } from "../policy/offpolicy"

/** One decided customer with what they did inside the attribution window. */
export interface DecisionOutcome {
  group: "holdout" | "explore" | "model" | "fixed" | "ineligible"
  chosen_percent: number
  propensity: number
  /** Candidate levels with expected values at decision time: what the model and fixed strategies would pick. */
  candidates: { percent: number; expected_value: number }[]
  orders: number
  /** Merchandise value of the window's orders before discount, net of cancellations and returns. */
  value: number
  discount: number
  margin_percent: number
}

export interface ArmSummary {
  customers: number
  conversions: number
  conversion_rate: number
  revenue_per_customer: number
  profit_per_customer: number
  discount_cost: number
}

export interface Interval {
  value: number
  ci95: [number, number]
}

/**
 * Off-policy values per customer. A strategy is null when fewer than MIN_MATCHED_DECISIONS logged decisions
 * took the level it would have chosen: inverse propensity scoring then has nothing to weigh and would
 * report a made-up zero with a zero-width interval.
 */
export interface OffPolicySummary {
  decisions: number
  /** Logged decisions whose level is the one each strategy would have chosen. */
  model_matched: number
  fixed_matched: number
  model: Interval | null
  fixed: Interval | null
  model_minus_fixed: Interval | null
}

export interface IncrementalityReport {
  treated: ArmSummary
  holdout: ArmSummary
  incremental_conversion_rate: Interval
  incremental_profit_per_customer: Interval
  /** The per-customer difference times the treated customers: the policy's total effect. */
  incremental_profit: Interval
  off_policy: OffPolicySummary
}

export const MIN_MATCHED_DECISIONS = 10

export function profitOf(outcome: DecisionOutcome): number {
  return (outcome.value * outcome.margin_percent) / 100 - outcome.discount
}

function summarize(rows: DecisionOutcome[]): ArmSummary & { profits: number[]; converted: number[] } {
  const profits = rows.map(profitOf)
  const converted = rows.map((row) => (row.orders > 0 ? 1 : 0))
  const n = rows.length
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
  return {
    customers: n,
    conversions: sum(converted),
    conversion_rate: n ? sum(converted) / n : 0,
    revenue_per_customer: n ? sum(rows.map((row) => row.value - row.discount)) / n : 0,
    profit_per_customer: n ? sum(profits) / n : 0,
    discount_cost: sum(rows.map((row) => row.discount)),
    profits,
    converted,
  }
}

/** Difference of two means with a Welch 95% interval. */
export function meanDifference(a: number[], b: number[]): Interval {
  const mean = (values: number[]) => (values.length ? values.reduce((x, y) => x + y, 0) / values.length : 0)
  const variance = (values: number[], m: number) => (values.length > 1 ? values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1) : 0)
  const ma = mean(a)
  const mb = mean(b)
  const se = Math.sqrt((a.length ? variance(a, ma) / a.length : 0) + (b.length ? variance(b, mb) / b.length : 0))
  const value = ma - mb
  return { value, ci95: [value - 1.96 * se, value + 1.96 * se] }
}

/**
 * Treated (everyone the policy decided for) against the randomized holdout, and the off-policy value
 * of the model and fixed strategies from the logged propensities (inverse propensity scoring).
 */
export function incrementalityReport(outcomes: DecisionOutcome[]): IncrementalityReport {
  const decided = outcomes.filter((row) => row.group !== "ineligible")
  const treatedRows = decided.filter((row) => row.group !== "holdout")
  const treated = summarize(treatedRows)
  const holdout = summarize(decided.filter((row) => row.group === "holdout"))
  const perCustomer = meanDifference(treated.profits, holdout.profits)
  const scale = treated.customers
  const strip = ({ profits, converted, ...summary }: ReturnType<typeof summarize>) => summary
  return {
    treated: strip(treated),
    holdout: strip(holdout),
    incremental_conversion_rate: meanDifference(treated.converted, holdout.converted),
    incremental_profit_per_customer: perCustomer,
    incremental_profit: { value: perCustomer.value * scale, ci95: [perCustomer.ci95[0] * scale, perCustomer.ci95[1] * scale] },
    off_policy: offPolicy(treatedRows),
  }
}

function offPolicy(rows: DecisionOutcome[]): OffPolicySummary {
  const logged = rows.filter((row) => row.candidates?.length && row.propensity > 0)
  if (!logged.length) {
    return { decisions: 0, model_matched: 0, fixed_matched: 0, model: null, fixed: null, model_minus_fixed: null }
  }
  const log = {
    arm: Int32Array.from(logged, (row) => row.chosen_percent),
    reward: Float64Array.from(logged, profitOf),
    propensity: Float64Array.from(logged, (row) => row.propensity),
  }
  const modelArm = Int32Array.from(logged, (row) => row.candidates.reduce((best, c) => (c.expected_value > best.expected_value ? c : best)).percent)
  const fixedArm = Int32Array.from(logged, (row) => Math.max(...row.candidates.map((c) => c.percent)))
  const modelTerms = ipsTerms(log, modelArm)
  const fixedTerms = ipsTerms(log, fixedArm)
  const interval = (estimate: { value: number; lower: number; upper: number }): Interval => ({ value: estimate.value, ci95: [estimate.lower, estimate.upper] })
  const modelMatched = matchedDecisions(log, modelArm)
  const fixedMatched = matchedDecisions(log, fixedArm)
  const modelSupported = modelMatched >= MIN_MATCHED_DECISIONS
  const fixedSupported = fixedMatched >= MIN_MATCHED_DECISIONS
  return {
    decisions: logged.length,
    model_matched: modelMatched,
    fixed_matched: fixedMatched,
    model: modelSupported ? interval(estimateFromTerms(modelTerms)) : null,
    fixed: fixedSupported ? interval(estimateFromTerms(fixedTerms)) : null,
    model_minus_fixed: modelSupported && fixedSupported ? interval(differenceOf(modelTerms, fixedTerms)) : null,
  }
}
