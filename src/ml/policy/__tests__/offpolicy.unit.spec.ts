import { mulberry32 } from "../../data/split"
import { differenceOf, drTerms, drValue, ipsTerms, ipsValue, LoggedDecisions, topShareTargeting } from "../offpolicy"

/** Three arms with covariate-dependent propensities; reward mean m(x, a) is known. */
function simulate(n: number, seed: number) {
  const rng = mulberry32(seed)
  const x = new Float64Array(n)
  const log: LoggedDecisions = { arm: new Int32Array(n), reward: new Float64Array(n), propensity: new Float64Array(n) }
  const mean = (xi: number, a: number) => [0.1, 0.2 + 0.3 * xi, 0.5 - 0.3 * xi][a]
  for (let i = 0; i < n; i++) {
    x[i] = rng()
    const probs = x[i] < 0.5 ? [0.6, 0.3, 0.1] : [0.2, 0.2, 0.6]
    const u = rng()
    const a = u < probs[0] ? 0 : u < probs[0] + probs[1] ? 1 : 2
    log.arm[i] = a
    log.propensity[i] = probs[a]
    log.reward[i] = rng() < mean(x[i], a) ? 1 : 0
  }
  return { x, log, mean }
}

describe("off-policy evaluation", () => {
  // Policy: arm 1 when x > 0.5 else arm 2. True value = E[m] = 0.5*(0.2+0.3*0.75) + 0.5*(0.5-0.3*0.25) = 0.425.
  const truth = 0.5 * (0.2 + 0.3 * 0.75) + 0.5 * (0.5 - 0.3 * 0.25)
  const policyOf = (x: Float64Array) => Int32Array.from(x, (v) => (v > 0.5 ? 1 : 2))

  it("IPS and DR (even with a wrong outcome model) are unbiased over replications", () => {
    let ips = 0
    let drWrong = 0
    let drGood = 0
    let covered = 0
    const reps = 200
    for (let r = 0; r < reps; r++) {
      const { x, log, mean } = simulate(2000, r + 1)
      const pi = policyOf(x)
      const e = ipsValue(log, pi)
      ips += e.value / reps
      covered += e.lower <= truth && truth <= e.upper ? 1 : 0
      drWrong += drValue(log, pi, [0, 1, 2].map(() => new Float64Array(x.length).fill(0.9))).value / reps
      drGood += drValue(log, pi, [0, 1, 2].map((a) => x.map((v) => mean(v, a)))).value / reps
    }
    expect(Math.abs(ips - truth)).toBeLessThan(0.006)
    expect(Math.abs(drWrong - truth)).toBeLessThan(0.006)
    expect(Math.abs(drGood - truth)).toBeLessThan(0.004)
    expect(covered / reps).toBeGreaterThan(0.88)
  })

  it("a good outcome model shrinks the DR interval below IPS", () => {
    const { x, log, mean } = simulate(5000, 999)
    const pi = policyOf(x)
    const ips = ipsValue(log, pi)
    const dr = drValue(log, pi, [0, 1, 2].map((a) => x.map((v) => mean(v, a))))
    expect(dr.stdErr).toBeLessThan(ips.stdErr * 0.95)
  })

  it("paired differences and top-share targeting", () => {
    const { x, log } = simulate(4000, 5)
    const none = new Int32Array(x.length)
    const pi = policyOf(x)
    const diff = differenceOf(ipsTerms(log, pi), ipsTerms(log, none))
    expect(diff.value).toBeGreaterThan(0.2)
    expect(diff.lower).toBeGreaterThan(0.25 - 0.1)
    const mu = [0, 1, 2].map(() => new Float64Array(x.length).fill(0.3))
    expect(drTerms(log, pi, mu).length).toBe(x.length)
    const policy = topShareTargeting([3, 1, 2, 0], Int32Array.from([1, 2, 1, 2]), 0.5, 0)
    expect(Array.from(policy)).toEqual([1, 0, 1, 0])
  })
})
