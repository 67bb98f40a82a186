import type { GbdtParams } from "../trees/gbdt"
import { qiniAucScore, upliftAtK } from "../metrics/uplift"
import type { UpliftLearnerKind, UpliftModel, UpliftTrainData } from "./learners"
import { ensembleOf, trainUpliftWithOof } from "./learners"

export interface UpliftCandidate {
  name: string
  kind: UpliftLearnerKind
  params: Partial<GbdtParams>
  repeats: number
}

/** Shallow, regularised learners: uplift signals are small relative to outcome noise. */
export const UPLIFT_CANDIDATES: UpliftCandidate[] = [
  { name: "class-transformation d2", kind: "class-transformation", params: { maxDepth: 2, learningRate: 0.05, minChildWeight: 20 }, repeats: 2 },
  {
    name: "class-transformation d3",
    kind: "class-transformation",
    params: { maxDepth: 3, learningRate: 0.03, minChildWeight: 50, subsample: 0.7, colsample: 0.7 },
    repeats: 2,
  },
  { name: "t-learner d2", kind: "t-learner", params: { maxDepth: 2, learningRate: 0.05, minChildWeight: 20 }, repeats: 2 },
]

const COMMON: Partial<GbdtParams> = { nRounds: 1000, earlyStoppingRounds: 50 }

export interface CandidateScore {
  name: string
  qini: number
  upliftAt30: number
}

export interface SelectedUplift {
  model: UpliftModel
  chosen: string
  scores: CandidateScore[]
}

/**
 * Mean over treated arms of the normalised Qini (and uplift@30%) on that arm's and the control's rows.
 * With `d.weight` (inverse logged propensities) the Qini is weighted by them.
 */
export function scoreUplift(uplift: Float64Array[], d: UpliftTrainData, control: number): { qini: number; upliftAt30: number } {
  let qini = 0
  let u30 = 0
  let arms = 0
  uplift.forEach((ua, a) => {
    if (a === control) return
    const rows: number[] = []
    d.arm.forEach((v, i) => (v === a || v === control) && rows.push(i))
    const t = rows.map((i) => (d.arm[i] === a ? 1 : 0))
    if (rows.length < 10 || !t.includes(1) || !t.includes(0)) return
    const y = rows.map((i) => d.y[i])
    const u = rows.map((i) => ua[i])
    qini += qiniAucScore(y, u, t, d.weight && rows.map((i) => d.weight![i]))
    u30 += upliftAtK(y, u, t, 0.3)
    arms++
  })
  return { qini: qini / arms, upliftAt30: u30 / arms }
}

/**
 * Fits every candidate on the training rows and keeps the one with the best out-of-fold Qini: each
 * training row is scored by models that did not see its outcome, so the choice uses all training rows
 * without touching the test rows (a single inner split of ~6k rows proved too noisy to choose by).
 */
export function trainSelectedUplift(
  d: UpliftTrainData,
  arms: string[],
  control: number,
  seed: number,
  candidates: UpliftCandidate[] = UPLIFT_CANDIDATES,
  progress?: (msg: string) => void
): SelectedUplift {
  let best: { model: UpliftModel; score: CandidateScore } | null = null
  const scores: CandidateScore[] = []
  const fitted: { model: UpliftModel; oofUplift: Float64Array[] }[] = []
  for (const c of candidates) {
    const { model, oofUplift } = trainUpliftWithOof(d, { kind: c.kind, arms, control, params: { ...COMMON, ...c.params }, folds: 4, repeats: c.repeats, seed })
    const score = { name: c.name, ...scoreUplift(oofUplift, d, control) }
    progress?.(`out-of-fold ${c.name}: qini ${score.qini.toFixed(4)}, uplift@30 ${score.upliftAt30.toFixed(4)}`)
    scores.push(score)
    fitted.push({ model, oofUplift })
    if (!best || score.qini > best.score.qini) best = { model, score }
  }
  if (fitted.length > 1) {
    // The average of all candidates is one more candidate, scored on the averaged out-of-fold uplift.
    const oof = fitted[0].oofUplift.map((_, a) => fitted[0].oofUplift[a].map((_, i) => fitted.reduce((s, f) => s + f.oofUplift[a][i], 0) / fitted.length))
    const score = { name: `ensemble of ${fitted.length}`, ...scoreUplift(oof, d, control) }
    progress?.(`out-of-fold ${score.name}: qini ${score.qini.toFixed(4)}, uplift@30 ${score.upliftAt30.toFixed(4)}`)
    scores.push(score)
    if (score.qini > best!.score.qini) best = { model: ensembleOf(fitted.map((f) => f.model)), score }
  }
  return { model: best!.model, chosen: best!.score.name, scores }
}
