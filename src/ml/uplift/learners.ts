import type { Matrix } from "../data/matrix"
import { selectRows, withExtraColumns } from "../data/matrix"
import type { GbdtParams } from "../trees/gbdt"
import type { BaggedGbdt } from "./crossfit"
import { calibrate } from "../calibration/calibration"
import { baggedPredict, trainCrossFitGbdt } from "./crossfit"

/**
 * Multi-treatment uplift: arms are a ladder of treatments (e.g. discount levels) with arm `control`
 * meaning "none". Every learner predicts, per arm, the effect versus control; T- and S-learners also
 * give calibrated P(outcome | x, arm).
 */
export type UpliftLearnerKind = "t-learner" | "s-learner" | "class-transformation" | "ensemble"

export interface UpliftTrainData {
  x: Matrix
  arm: Int32Array
  y: Float64Array
  /** Optional row weights (inverse propensity of the logged arm): T- and S-learners fit with them. */
  weight?: Float64Array
}

export interface UpliftOptions {
  kind: UpliftLearnerKind
  arms: string[]
  control: number
  params: Partial<GbdtParams>
  folds: number
  repeats: number
  seed: number
}

export interface UpliftModel {
  kind: UpliftLearnerKind
  arms: string[]
  control: number
  featureNames: string[]
  /** t-learner: one bag per arm. class-transformation: one bag per treated arm (control slot empty). */
  perArm: (BaggedGbdt | null)[]
  /** s-learner: one bag over the features plus one indicator per treated arm. */
  pooled: BaggedGbdt | null
  /** ensemble: members whose uplift predictions are averaged. */
  members?: UpliftModel[]
}

/** Averages members' predicted uplift (and probabilities, over members that give them). */
export function ensembleOf(members: UpliftModel[]): UpliftModel {
  const m = members[0]
  return { kind: "ensemble", arms: m.arms, control: m.control, featureNames: m.featureNames, perArm: [], pooled: null, members }
}

function average(arrays: Float64Array[][]): Float64Array[] {
  return arrays[0].map((_, a) => arrays[0][a].map((_, i) => arrays.reduce((s, arr) => s + arr[a][i], 0) / arrays.length))
}

function rowsOfArms(arm: Int32Array, arms: number[]): number[] {
  const out: number[] = []
  arm.forEach((a, i) => arms.includes(a) && out.push(i))
  return out
}

function armIndicators(nArms: number, control: number, arm: number): number[] {
  const v: number[] = []
  for (let a = 0; a < nArms; a++) if (a !== control) v.push(a === arm ? 1 : 0)
  return v
}

function indicatorNames(arms: string[], control: number): string[] {
  return arms.filter((_, a) => a !== control).map((name) => `arm:${name}`)
}

/** Out-of-fold probabilities of the training rows, collected while fitting (honest validation scores). */
type OofSink = Map<string, { rows: number[]; prob: Float64Array }>

function crossFit(x: Matrix, y: Float64Array, o: UpliftOptions, salt: number, weight?: Float64Array, sink?: OofSink, rows?: number[]): BaggedGbdt {
  const r = trainCrossFitGbdt(x, y, { folds: o.folds, repeats: o.repeats, seed: o.seed * 1009 + salt, params: o.params }, weight)
  if (sink && rows) {
    const c = r.model.calibrator!
    sink.set(String(salt), { rows, prob: r.oofRaw.map((v) => calibrate(c, v)) })
  }
  return r.model
}

function trainTLearner(d: UpliftTrainData, o: UpliftOptions, sink?: OofSink): UpliftModel {
  const perArm = o.arms.map((_, a) => {
    const rows = rowsOfArms(d.arm, [a])
    if (rows.length === 0) return null
    const weight = d.weight && Float64Array.from(rows, (i) => d.weight![i])
    return crossFit(selectRows(d.x, rows), Float64Array.from(rows, (i) => d.y[i]), o, a, weight, sink, rows)
  })
  return { kind: o.kind, arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm, pooled: null }
}

function trainSLearner(d: UpliftTrainData, o: UpliftOptions): UpliftModel {
  const x = withExtraColumns(d.x, indicatorNames(o.arms, o.control), (i) => armIndicators(o.arms.length, o.control, d.arm[i]))
  const pooled = crossFit(x, d.y, o, 99, d.weight)
  return { kind: o.kind, arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm: [], pooled }
}

/**
 * Class transformation per treated arm vs control: z = y for treated rows, 1 - y for control rows,
 * weighted so both groups count equally; then uplift = 2 P(z = 1 | x) - 1.
 */
function trainClassTransformation(d: UpliftTrainData, o: UpliftOptions, sink?: OofSink): UpliftModel {
  const perArm = o.arms.map((_, a) => {
    if (a === o.control) return null
    const rows = rowsOfArms(d.arm, [a, o.control])
    const nTreated = rows.filter((i) => d.arm[i] === a).length
    if (nTreated === 0 || nTreated === rows.length) return null
    const share = nTreated / rows.length
    const z = Float64Array.from(rows, (i) => (d.arm[i] === a ? d.y[i] : 1 - d.y[i]))
    const w = Float64Array.from(rows, (i) => (d.arm[i] === a ? 0.5 / share : 0.5 / (1 - share)))
    return crossFit(selectRows(d.x, rows), z, o, a, w, sink, rows)
  })
  return { kind: o.kind, arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm, pooled: null }
}

export function trainUplift(d: UpliftTrainData, o: UpliftOptions): UpliftModel {
  if (o.kind === "ensemble") throw new Error("build ensembles with ensembleOf(members)")
  if (o.kind === "t-learner") return trainTLearner(d, o)
  if (o.kind === "s-learner") return trainSLearner(d, o)
  return trainClassTransformation(d, o)
}

/**
 * Trains and also returns honest uplift predictions for the training rows: a row's own-arm outcome (and,
 * for class transformation, its transformed label) is scored by a model that did not see it; other arms'
 * models never saw it anyway. S-learners have no honest counterfactual, so they fall back to refits' scores.
 */
export function trainUpliftWithOof(d: UpliftTrainData, o: UpliftOptions): { model: UpliftModel; oofUplift: Float64Array[] } {
  const sink: OofSink = new Map()
  const model = o.kind === "t-learner" ? trainTLearner(d, o, sink) : o.kind === "class-transformation" ? trainClassTransformation(d, o, sink) : trainSLearner(d, o)
  const uplift = predictUplift(model, d.x)
  if (o.kind === "s-learner") return { model, oofUplift: uplift }
  if (o.kind === "class-transformation") {
    for (const [key, { rows, prob }] of sink) rows.forEach((i, k) => (uplift[Number(key)][i] = 2 * prob[k] - 1))
    return { model, oofUplift: uplift }
  }
  const p = predictArmProbabilities(model, d.x)
  for (const [key, { rows, prob }] of sink) rows.forEach((i, k) => (p[Number(key)][i] = prob[k]))
  return { model, oofUplift: p.map((pa) => pa.map((v, i) => v - p[o.control][i])) }
}

/** Calibrated P(outcome | x, arm) for every arm (T- and S-learners). */
export function predictArmProbabilities(m: UpliftModel, x: Matrix): Float64Array[] {
  if (m.kind === "ensemble") {
    const usable = (m.members ?? []).filter((k) => k.kind === "t-learner" || k.kind === "s-learner")
    if (usable.length === 0) throw new Error("no ensemble member predicts probabilities")
    return average(usable.map((k) => predictArmProbabilities(k, x)))
  }
  if (m.kind === "t-learner") return m.perArm.map((bag) => (bag ? baggedPredict(bag, x) : new Float64Array(x.nRows).fill(NaN)))
  if (m.kind === "s-learner") {
    return m.arms.map((_, a) => {
      const xa = withExtraColumns(x, indicatorNames(m.arms, m.control), () => armIndicators(m.arms.length, m.control, a))
      return baggedPredict(m.pooled!, xa)
    })
  }
  throw new Error("class-transformation models predict uplift only")
}

/** Predicted effect of each arm versus control (the control entry is all zeros). */
export function predictUplift(m: UpliftModel, x: Matrix): Float64Array[] {
  if (m.kind === "ensemble") return average((m.members ?? []).map((k) => predictUplift(k, x)))
  if (m.kind === "class-transformation") {
    return m.perArm.map((bag) => (bag ? baggedPredict(bag, x).map((p) => 2 * p - 1) : new Float64Array(x.nRows)))
  }
  const p = predictArmProbabilities(m, x)
  return p.map((pa) => pa.map((v, i) => v - p[m.control][i]))
}

/** Best arm per row by predicted uplift (control if no arm is predicted to help), and that uplift. */
export function bestArm(uplift: Float64Array[], control: number): { arm: Int32Array; uplift: Float64Array } {
  const n = uplift[0].length
  const arm = new Int32Array(n).fill(control)
  const best = new Float64Array(n)
  for (let i = 0; i < n; i++)
    uplift.forEach((u, a) => {
      if (a !== control && u[i] > best[i]) {
        best[i] = u[i]
        arm[i] = a
      }
    })
  return { arm, uplift: best }
}
