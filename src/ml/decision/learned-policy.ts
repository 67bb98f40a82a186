import { differenceOf, estimateFromTerms, ipsTerms, matchedDecisions } from "../policy/offpolicy"
import { Interval, MIN_MATCHED_DECISIONS } from "./incrementality"
import { Objective, ResponseModel, scoreCandidates } from "./offer-decision"

/** A logged decision whose attribution window has closed, with its features as of the decision time. */
export interface LearnedPolicyRow {
  features: Record<string, number>
  chosen_percent: number
  /** Probability of the logged level under the policy as applied. */
  propensity: number
  /** Profit of the attribution window (margin on the orders less the discount). */
  profit: number
  basket_value: number
  margin_percent: number
}

export interface StrategyValue {
  /** Logged decisions that took the level this strategy would have chosen: what the estimate rests on. */
  matched: number
  /** Inverse-propensity estimate of profit per customer, null under MIN_MATCHED_DECISIONS matched. */
  per_customer: Interval | null
}

export interface LearnedPolicyComparison {
  decisions: number
  learned: StrategyValue & { chosen: { percent: number; customers: number }[] }
  fixed: (StrategyValue & { percent: number })[]
  /** The fixed level with the highest estimate (chosen after the fact, which favours it). */
  best_fixed_percent: number | null
  /** Paired difference on the same decisions: learned minus the best fixed level. */
  learned_minus_best_fixed: Interval | null
}

/**
 * What the learned policy (the model's best level per shopper under the objective, as the live decision
 * picks it) would have earned on logged decisions, against giving everyone one fixed level: inverse
 * propensity scoring with the logged propensities. Honest only on decisions the model did not learn from:
 * the caller passes those.
 */
export function compareLearnedPolicy(rows: LearnedPolicyRow[], model: ResponseModel, levels: number[], objective: Objective): LearnedPolicyComparison {
  const logged = rows.filter((row) => row.propensity > 0)
  const ladder = [...new Set([0, ...levels])].sort((a, b) => a - b)
  const log = {
    arm: Int32Array.from(logged, (row) => row.chosen_percent),
    reward: Float64Array.from(logged, (row) => row.profit),
    propensity: Float64Array.from(logged, (row) => row.propensity),
  }
  const learnedArm = Int32Array.from(logged, (row) => bestLevel(row, model, ladder, objective))
  const value = (arm: Int32Array): StrategyValue & { terms: Float64Array } => {
    const terms = ipsTerms(log, arm)
    const matched = matchedDecisions(log, arm)
    return { matched, per_customer: logged.length && matched >= MIN_MATCHED_DECISIONS ? interval(estimateFromTerms(terms)) : null, terms }
  }
  const learned = value(learnedArm)
  const fixed = ladder.map((percent) => ({ percent, ...value(new Int32Array(logged.length).fill(percent)) }))
  const supported = fixed.filter((entry) => entry.per_customer)
  const best = supported.length ? supported.reduce((a, b) => (b.per_customer!.value > a.per_customer!.value ? b : a)) : null
  return {
    decisions: logged.length,
    learned: { matched: learned.matched, per_customer: learned.per_customer, chosen: ladder.map((percent) => ({ percent, customers: learnedArm.filter((arm) => arm === percent).length })) },
    fixed: fixed.map(({ terms, ...entry }) => entry),
    best_fixed_percent: best?.percent ?? null,
    learned_minus_best_fixed: best && learned.per_customer ? interval(differenceOf(learned.terms, best.terms)) : null,
  }
}

/** The level with the highest expected value under the objective (ties: the smaller discount). */
function bestLevel(row: LearnedPolicyRow, model: ResponseModel, ladder: number[], objective: Objective): number {
  const candidates = scoreCandidates(objective, ladder, model.predict(row.features, ladder), row.basket_value, row.margin_percent)
  return candidates.reduce((best, candidate) => (candidate.expected_value > best.expected_value ? candidate : best)).percent
}

function interval(estimate: { value: number; lower: number; upper: number }): Interval {
  return { value: estimate.value, ci95: [estimate.lower, estimate.upper] }
}
