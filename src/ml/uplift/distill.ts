import type { Matrix } from "../data/matrix"
import { selectRows } from "../data/matrix"
import { mulberry32, shuffleInPlace, take } from "../data/split"
import { trainGbdt } from "../trees/gbdt"
import type { BaggedGbdt } from "./crossfit"
import type { UpliftModel } from "./learners"
import { predictArmProbabilities, predictUplift } from "./learners"

/**
 * The served form of an uplift learner: per-arm outcome models P(outcome | x, arm), as a T-learner, which the
 * level ensemble folds into one tree ensemble. T- and S-learners are that already and come back unchanged.
 * An X- or DR-learner gives P(outcome | x, arm) as its T-learner's calibrated control model plus its effect
 * model(s); the control arm keeps that control model exactly and each treated arm becomes one GBDT fitted
 * (log loss on soft labels) to the learner's own P(outcome | x, arm) on the training rows, early-stopped on a
 * random fifth of them. `upliftMae` is the mean absolute gap between the served and the learner's effects on
 * the training rows (0 for T and S): how much the served form loses.
 */
export function servedPerArmModel(model: UpliftModel, x: Matrix, seed: number): { model: UpliftModel; upliftMae: number } {
  if (model.kind === "t-learner" || model.kind === "s-learner") return { model, upliftMae: 0 }
  if ((model.kind !== "x-learner" && model.kind !== "dr-learner") || !model.outcome) throw new Error(`${model.kind} models have no served per-arm form`)
  const target = predictArmProbabilities(model, x)
  const order = shuffleInPlace(Int32Array.from({ length: x.nRows }, (_, i) => i), mulberry32(seed))
  const cut = Math.floor(x.nRows * 0.8)
  const [fitRows, stopRows] = [Array.from(order.subarray(0, cut)), Array.from(order.subarray(cut))]
  const [fitX, stopX] = [selectRows(x, fitRows), selectRows(x, stopRows)]
  const perArm = model.arms.map((_, a): BaggedGbdt | null => {
    if (a === model.control) return model.outcome!.perArm[a]
    if (!model.tau?.[a]) return null
    const r = trainGbdt(
      { x: fitX, y: take(target[a], fitRows) },
      { objective: "logloss", maxDepth: 4, learningRate: 0.1, nRounds: 500, minChildWeight: 1, earlyStoppingRounds: 30, seed: seed + a },
      { x: stopX, y: take(target[a], stopRows) }
    )
    // The identity Platt map: the trees already give the logit of P(outcome | x, arm).
    return { ensembles: [r.model], calibrator: { kind: "platt", a: 1, b: 0 } }
  })
  const served: UpliftModel = { kind: "t-learner", arms: model.arms, control: model.control, featureNames: model.featureNames, perArm, pooled: null }
  const want = predictUplift(model, x)
  const got = predictUplift(served, x)
  let gap = 0
  let count = 0
  want.forEach((u, a) => {
    if (a === model.control || !perArm[a]) return
    u.forEach((v, i) => ((gap += Math.abs(v - got[a][i])), count++))
  })
  return { model: served, upliftMae: count ? gap / count : 0 }
}
