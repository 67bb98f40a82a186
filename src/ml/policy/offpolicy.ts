/**
 * Off-policy value of a deterministic policy from logged decisions with known propensities.
 * Every estimator returns per-row terms whose mean is the estimate, so differences between policies
 * are paired (same rows), which gives tighter intervals than differencing two estimates.
 */
export interface LoggedDecisions {
  /** Arm actually taken per row. */
  arm: Int32Array
  reward: Float64Array
  /** Probability the logging policy took the logged arm. */
  propensity: Float64Array
}

export interface PolicyEstimate {
  value: number
  stdErr: number
  /** 95% normal interval. */
  lower: number
  upper: number
}

export function estimateFromTerms(terms: Float64Array): PolicyEstimate {
  const n = terms.length
  let s = 0
  for (let i = 0; i < n; i++) s += terms[i]
  const mean = s / n
  let v = 0
  for (let i = 0; i < n; i++) v += (terms[i] - mean) ** 2
  const stdErr = Math.sqrt(v / Math.max(1, n - 1) / n)
  return { value: mean, stdErr, lower: mean - 1.96 * stdErr, upper: mean + 1.96 * stdErr }
}

/** Inverse propensity scoring: 1[a = pi(x)] * r / p. */
export function ipsTerms(log: LoggedDecisions, policy: Int32Array): Float64Array {
  return Float64Array.from(log.arm, (a, i) => (a === policy[i] ? log.reward[i] / log.propensity[i] : 0))
}

/** Logged decisions that took the arm the policy would take: the rows an IPS estimate actually rests on. */
export function matchedDecisions(log: LoggedDecisions, policy: Int32Array): number {
  let matched = 0
  for (let i = 0; i < log.arm.length; i++) if (log.arm[i] === policy[i]) matched++
  return matched
}

/**
 * Doubly robust: mu(x, pi(x)) + 1[a = pi(x)] / p * (r - mu(x, a)). Unbiased when the propensities are
 * right, whatever the outcome model `mu` (one array per arm); lower variance when mu is good.
 */
export function drTerms(log: LoggedDecisions, policy: Int32Array, mu: ArrayLike<number>[]): Float64Array {
  return Float64Array.from(log.arm, (a, i) => {
    const correction = a === policy[i] ? (log.reward[i] - mu[a][i]) / log.propensity[i] : 0
    return mu[policy[i]][i] + correction
  })
}

export function ipsValue(log: LoggedDecisions, policy: Int32Array): PolicyEstimate {
  return estimateFromTerms(ipsTerms(log, policy))
}

export function drValue(log: LoggedDecisions, policy: Int32Array, mu: ArrayLike<number>[]): PolicyEstimate {
  return estimateFromTerms(drTerms(log, policy, mu))
}

/** Paired difference of two policies' terms (value of A minus value of B). */
export function differenceOf(termsA: Float64Array, termsB: Float64Array): PolicyEstimate {
  return estimateFromTerms(termsA.map((t, i) => t - termsB[i]))
}

export function scaleEstimate(e: PolicyEstimate, k: number): PolicyEstimate {
  return { value: e.value * k, stdErr: e.stdErr * k, lower: e.lower * k, upper: e.upper * k }
}

/** Treat the top `share` rows by score with their chosen arm, everyone else with `fallback`. */
export function topShareTargeting(score: ArrayLike<number>, chosenArm: Int32Array, share: number, fallback: number): Int32Array {
  const order = Int32Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[b] - score[a] || a - b)
  const policy = new Int32Array(score.length).fill(fallback)
  const k = Math.floor(score.length * share)
  for (let r = 0; r < k; r++) policy[order[r]] = chosenArm[order[r]]
  return policy
}
