import { createHash } from "crypto"

export type Objective = "profit" | "revenue" | "conversion"
export type DecisionGroup = "holdout" | "explore" | "model" | "fixed"
export const COLD_STARTS = ["no_discount", "prior", "explore"] as const
export type ColdStart = (typeof COLD_STARTS)[number]

export interface OfferPolicy {
  id: string
  strategy: "model" | "fixed"
  ladder: number[]
  max_discount_percent: number
  min_margin_percent: number
  holdout_percent: number
  exploration_percent: number
  objective: Objective
  /**
   * Without a trained model: no discount beyond exploration (the default), the prior's choice, or every
   * allowed level equally often ("explore": an even A/B test of the ladder until the first model serves).
   */
  cold_start?: ColdStart
}

export interface OfferContext {
  customerId: string
  /** What the cart (or the expected basket) is worth before discount. */
  basketValue: number
  /** Gross margin of the basket in percent of its price. */
  marginPercent: number
  /** Model features; `orders` (past order count) drives the cold-start prior. */
  features: Record<string, number>
}

/** P(buy | shopper, discount level) for each level, plus the version that made it. */
export interface ResponseModel {
  version: string
  predict(features: Record<string, number>, levels: number[]): number[]
}

export interface Candidate {
  percent: number
  p_buy: number
  expected_value: number
}

export interface OfferDecision {
  group: DecisionGroup
  chosen_percent: number
  /** Probability that this policy logs this level for this shopper: what off-policy evaluation divides by. */
  propensity: number
  candidates: Candidate[]
  /** How likely the policy was to draw each level for this shopper (holdout, exploration, greedy): sums to 1. */
  distribution: LevelProbability[]
  model_version: string
  reasons: string[]
}

export interface LevelProbability {
  percent: number
  probability: number
}

export const PRIOR_MODEL_VERSION = "prior-v1"

/** A uniform number in [0, 1) fixed by the key: the same shopper stays in (or out of) the holdout. */
export function hashUnit(key: string): number {
  return parseInt(createHash("sha256").update(key).digest("hex").slice(0, 8), 16) / 2 ** 32
}

/** Whether a customer is in a policy's randomized holdout: fixed by the pair, so they stay in (or out of) it. */
export function inHoldout(policy: { id: string; holdout_percent: number }, customerId: string): boolean {
  return hashUnit(`${policy.id}:${customerId}`) < policy.holdout_percent / 100
}

/** Ladder levels the merchant allows for this basket: under the cap and above the margin floor. */
export function allowedLevels(policy: OfferPolicy, marginPercent: number): number[] {
  return [...new Set(policy.ladder)]
    .filter((level) => level > 0 && level <= policy.max_discount_percent)
    .filter((level) => marginPercent - level >= policy.min_margin_percent)
    .sort((a, b) => a - b)
}

/**
 * Cold-start response curve: a base purchase rate from the shopper's history and a saturating lift per
 * discount point. Deliberately modest, so that without evidence the policy gives few discounts.
 */
export const priorResponseModel: ResponseModel = {
  version: PRIOR_MODEL_VERSION,
  predict(features, levels) {
    const orders = features.orders ?? 0
    const base = orders === 0 ? 0.08 : Math.min(0.6, 0.2 + 0.05 * orders)
    return levels.map((level) => base + (1 - base) * 0.35 * (1 - Math.exp(-level / 20)))
  },
}

/** The value of offering `percent` under the objective, relative to offering nothing. */
export function scoreCandidates(
  objective: Objective,
  levels: number[],
  pBuy: number[],
  basketValue: number,
  marginPercent: number
): Candidate[] {
  const valueAt = (percent: number, p: number) => {
    if (objective === "conversion") return p
    if (objective === "revenue") return p * basketValue * (1 - percent / 100)
    return p * basketValue * ((marginPercent - percent) / 100)
  }
  const baseline = valueAt(0, pBuy[0])
  return levels.map((percent, index) => ({
    percent,
    p_buy: pBuy[index],
    expected_value: round(valueAt(percent, pBuy[index]) - baseline),
  }))
}

/**
 * Holdout -> exploration -> model (or fixed). `explorationDraw` and `levelDraw` are uniform draws in
 * [0, 1); they are parameters so that tests and replays are deterministic.
 */
export function decideOffer(
  policy: OfferPolicy,
  context: OfferContext,
  model: ResponseModel | null,
  explorationDraw: number,
  levelDraw: number
): OfferDecision {
  const levels = [0, ...allowedLevels(policy, context.marginPercent)]
  const responder = model ?? priorResponseModel
  const cold = !model && policy.strategy === "model" ? policy.cold_start ?? "no_discount" : null
  const coldNoDiscount = cold === "no_discount"
  const reasons: string[] = !cold && model ? [] : [COLD_START_REASONS[cold ?? "prior"]]
  const candidates = scoreCandidates(policy.objective, levels, responder.predict(context.features, levels), context.basketValue, context.marginPercent)
  const base = { candidates, model_version: responder.version }
  if (inHoldout(policy, context.customerId)) {
    const distribution = levels.map((percent) => ({ percent, probability: percent === 0 ? 1 : 0 }))
    return { ...base, distribution, group: "holdout", chosen_percent: 0, propensity: 1, reasons: [...reasons, "In the randomized holdout: no offer, to measure what offers earn."] }
  }
  const greedy = policy.strategy === "fixed" ? levels[levels.length - 1] : coldNoDiscount ? 0 : bestLevel(candidates)
  const epsilon = cold === "explore" ? 1 : policy.exploration_percent / 100
  const propensityOf = (level: number) => epsilon / levels.length + (level === greedy ? 1 - epsilon : 0)
  const distribution = levels.map((percent) => ({ percent, probability: propensityOf(percent) }))
  if (levels.length === 1) {
    reasons.push("No ladder level fits the margin floor and discount cap for this basket.")
  }
  if (explorationDraw < epsilon) {
    const level = levels[Math.min(levels.length - 1, Math.floor(levelDraw * levels.length))]
    return { ...base, distribution, group: "explore", chosen_percent: level, propensity: propensityOf(level), reasons: [...reasons, `Exploration: a random level (${level}%) to keep learning.`] }
  }
  const group: DecisionGroup = policy.strategy === "fixed" ? "fixed" : "model"
  return { ...base, distribution, group, chosen_percent: greedy, propensity: propensityOf(greedy), reasons: [...reasons, explainChoice(policy, candidates, greedy)] }
}

const COLD_START_REASONS: Record<ColdStart, string> = {
  no_discount: "No trained response model yet: no discount beyond exploration (the policy's cold start setting).",
  prior: "No trained response model yet: cold start from priors and exploration.",
  explore: "No trained response model yet: every allowed level equally often until one is trained (the policy's cold start setting).",
}

/**
 * The probability that the shopper gets no discount under the policy as applied: drawing 0, or drawing a
 * level that a gate after the draw (budget, offer limit, fairness cap, margin) turns into no offer.
 */
export function propensityOfNoOffer(distribution: LevelProbability[], refused: (percent: number) => boolean): number {
  const probability = distribution.filter((level) => level.percent === 0 || refused(level.percent)).reduce((sum, level) => sum + level.probability, 0)
  return Math.min(1, round(probability))
}

/**
 * A gate after the draw refused the drawn level: the log records what the shopper got (no discount) with
 * the probability of getting it, since training and off-policy reports divide by that. `refused` says which
 * levels the gate would have refused too. Returns a new decision; one already at 0 is returned as it is.
 */
export function refuseOffer(decision: OfferDecision, refused: (percent: number) => boolean, reason: string): OfferDecision {
  if (decision.chosen_percent === 0) return decision
  return {
    ...decision,
    chosen_percent: 0,
    propensity: propensityOfNoOffer(decision.distribution, (percent) => percent === decision.chosen_percent || refused(percent)),
    reasons: [...decision.reasons, reason],
  }
}

function bestLevel(candidates: Candidate[]): number {
  let best = candidates[0]
  for (const candidate of candidates) {
    if (candidate.expected_value > best.expected_value) best = candidate
  }
  return best.percent
}

function explainChoice(policy: OfferPolicy, candidates: Candidate[], chosen: number): string {
  if (policy.strategy === "fixed") {
    return chosen ? `Fixed strategy: every eligible shopper gets the top level (${chosen}%).` : "Fixed strategy, but no level fits the margin floor."
  }
  if (chosen === 0) {
    return `No discount: none of the levels is expected to raise ${policy.objective} enough to pay for itself.`
  }
  const gain = candidates.find((candidate) => candidate.percent === chosen)?.expected_value ?? 0
  return `${chosen}% off is expected to add ${gain.toFixed(2)} of ${policy.objective} compared with no discount.`
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
