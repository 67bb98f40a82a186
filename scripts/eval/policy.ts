import { sklearnTrainTestSplit } from "../../src/ml/data/split"
import type { LoggedDecisions, PolicyEstimate } from "../../src/ml/policy/offpolicy"
import { differenceOf, drTerms, ipsTerms, scaleEstimate, topShareTargeting } from "../../src/ml/policy/offpolicy"
import { HILLSTROM_ARMS, selectHillstrom } from "../../src/ml/uplift/hillstrom"
import { bestArm, predictArmProbabilities, trainUplift } from "../../src/ml/uplift/learners"
import { loadHillstrom } from "./hillstrom"
import { SeedTable } from "./summary"
import type { EvalOptions, EvalRow } from "./types"

type Outcome = "visit" | "conversion" | "spend"
const OUTCOMES: Outcome[] = ["visit", "conversion", "spend"]

/** Per-arm means on the training half: a simple outcome model for DR where we fit no per-row model. */
function armMeans(arm: Int32Array, y: Float64Array, nArms: number): number[] {
  const s = new Array<number>(nArms).fill(0)
  const c = new Array<number>(nArms).fill(0)
  arm.forEach((a, i) => {
    s[a] += y[i]
    c[a]++
  })
  return s.map((v, a) => v / c[a])
}

/**
 * All three Hillstrom arms, logged with propensity 1/3 each. A T-learner for visits (trained on the
 * seeded training half) ranks the test half; policies are valued on the test half by IPS and DR, as
 * incremental outcomes per 1,000 customers versus mailing no one.
 */
export async function runHillstromPolicy(opts: EvalOptions): Promise<EvalRow[]> {
  const all = loadHillstrom(opts.dataDir)
  const nArms = HILLSTROM_ARMS.length
  const table = new SeedTable(opts.seeds)
  opts.seeds.forEach((seed, k) => {
    opts.progress?.(`hillstrom-policy seed ${seed} (${k + 1}/${opts.seeds.length})`)
    const split = sklearnTrainTestSplit(all.x.nRows, 0.5, seed)
    const train = selectHillstrom(all, split.train)
    const test = selectHillstrom(all, split.test)
    const model = trainUplift(
      { x: train.x, arm: train.arm, y: train.visit },
      { kind: "t-learner", arms: [...HILLSTROM_ARMS], control: 0, params: { maxDepth: 2, learningRate: 0.05, minChildWeight: 20, nRounds: 1000, earlyStoppingRounds: 50 }, folds: 4, repeats: 1, seed }
    )
    const pVisit = predictArmProbabilities(model, test.x)
    const uplift = pVisit.map((p) => p.map((v, i) => v - pVisit[0][i]))
    const best = bestArm(uplift, 0)
    const visitMeans = armMeans(train.arm, train.visit, nArms)
    const everyoneArm = visitMeans.indexOf(Math.max(...visitMeans.slice(1)))
    const policies: Record<string, Int32Array> = {
      top30_best_arm: topShareTargeting(best.uplift, best.arm, 0.3, 0),
      everyone_best_single_arm: new Int32Array(test.x.nRows).fill(everyoneArm),
    }
    const none = new Int32Array(test.x.nRows)
    for (const outcome of OUTCOMES) {
      const log: LoggedDecisions = { arm: test.arm, reward: test[outcome], propensity: new Float64Array(test.x.nRows).fill(1 / nArms) }
      const means = armMeans(train.arm, train[outcome], nArms)
      const mu = outcome === "visit" ? pVisit : means.map((m) => new Float64Array(test.x.nRows).fill(m))
      for (const [name, policy] of Object.entries(policies)) {
        const dr = scaleEstimate(differenceOf(drTerms(log, policy, mu), drTerms(log, none, mu)), 1000)
        const ips = scaleEstimate(differenceOf(ipsTerms(log, policy), ipsTerms(log, none)), 1000)
        table.add("hillstrom-policy", `incr_${outcome}s_per_1000_${name}`.replace("spends", "spend"), dr.value, null, undefined, {
          estimator: "DR",
          ci95: interval(dr),
          ips: round2(ips.value),
          ips_ci95: interval(ips),
          arm: name.startsWith("everyone") ? HILLSTROM_ARMS[everyoneArm] : "best per customer, top 30%",
        })
      }
    }
  })
  return table.rows()
}

function round2(v: number): number {
  return Math.round(v * 100) / 100
}

function interval(e: PolicyEstimate): [number, number] {
  return [round2(e.lower), round2(e.upper)]
}
