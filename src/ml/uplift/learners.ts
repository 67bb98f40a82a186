import type { Matrix } from "../data/matrix"
import { selectRows, withExtraColumns } from "../data/matrix"
import type { GbdtParams } from "../trees/gbdt"
import type { BaggedGbdt } from "./crossfit"
import { calibrate } from "../calibration/calibration"
import { baggedPredict, trainCrossFitGbdt } from "./crossfit"

/**
 * Multi-treatment uplift: arms are a ladder of treatments (e.g. discount levels) with arm `control`
 * meaning "none". Every learner predicts, per arm, the effect versus control; T- and S-learners also
 * give calibrated P(outcome | x, arm), X- and DR-learners P(outcome | x, control) + their effect.
 */
export type UpliftLearnerKind = "t-learner" | "s-learner" | "x-learner" | "dr-learner" | "class-transformation" | "ensemble"

export interface UpliftTrainData {
  x: Matrix
  arm: Int32Array
  y: Float64Array
  /** Optional row weights (inverse propensity of the logged arm): T-, S- and X-learners fit with them. */
  weight?: Float64Array
  /**
   * Optional probability of each row's logged arm under the logging policy: the DR-learner's correction
   * terms divide by it (without it, by the arm's share of the rows, as in a uniform experiment).
   */
  propensity?: Float64Array
}

export interface UpliftOptions {
  kind: UpliftLearnerKind
  arms: string[]
  control: number
  params: Partial<GbdtParams>
  folds: number
  repeats: number
  seed: number
  /** Early-stop on the fitting folds, not the held-out one (crossfit.ts): honest out-of-fold scores to choose by. */
  innerEarlyStopping?: boolean
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
  /** x-learner, dr-learner: the T-learner whose outcome models give the pseudo-outcomes and P(outcome | x, control). */
  outcome?: UpliftModel
  /** x-learner, dr-learner: per arm, the effect models versus control (control slot null). */
  tau?: (TauModel | null)[]
}

/**
 * An arm's effect model. DR: one regression of the doubly robust pseudo-outcome on all rows. X: one
 * regression on the arm's rows (y - mu_control) and one on the control's rows (mu_arm - y), mixed by the
 * arm's share of those rows: tau = share * fromControl + (1 - share) * fromTreated (Kunzel et al. 2019).
 */
export interface TauModel {
  fromTreated: BaggedGbdt
  fromControl: BaggedGbdt | null
  treatedShare: number
}

/** Probabilities of X- and DR-learners are kept inside (0, 1) when control + effect leaves it. */
const P_EPS = 1e-4

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
  const r = trainCrossFitGbdt(x, y, { folds: o.folds, repeats: o.repeats, innerEarlyStopping: o.innerEarlyStopping, seed: o.seed * 1009 + salt, params: o.params }, weight)
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
  return trainSLearnerWithOof(d, o).model
}

/**
 * S-learner with honest probabilities: every training row, under every arm's indicators, is scored by the
 * fold models that did not see the row.
 */
function trainSLearnerWithOof(d: UpliftTrainData, o: UpliftOptions): { model: UpliftModel; oofP: Float64Array[] } {
  const names = indicatorNames(o.arms, o.control)
  const x = withExtraColumns(d.x, names, (i) => armIndicators(o.arms.length, o.control, d.arm[i]))
  const counterfactuals = o.arms.map((_, a) => withExtraColumns(d.x, names, () => armIndicators(o.arms.length, o.control, a)))
  const r = trainCrossFitGbdt(x, d.y, { folds: o.folds, repeats: o.repeats, innerEarlyStopping: o.innerEarlyStopping, seed: o.seed * 1009 + 99, params: o.params }, d.weight, counterfactuals)
  const c = r.model.calibrator!
  const model: UpliftModel = { kind: "s-learner", arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm: [], pooled: r.model }
  return { model, oofP: r.oofCounterfactualRaw.map((raw) => raw.map((v) => calibrate(c, v))) }
}

/** T-learner with honest probabilities: a row's own arm from the folds that did not see it (other arms never did). */
function trainTLearnerWithOof(d: UpliftTrainData, o: UpliftOptions): { model: UpliftModel; oofP: Float64Array[] } {
  const sink: OofSink = new Map()
  const model = trainTLearner(d, { ...o, kind: "t-learner" }, sink)
  const p = predictArmProbabilities(model, d.x)
  for (const [key, { rows, prob }] of sink) rows.forEach((i, k) => (p[Number(key)][i] = prob[k]))
  return { model, oofP: p }
}

function rowPropensity(d: UpliftTrainData, i: number, share: number[]): number {
  return d.propensity ? d.propensity[i] : share[d.arm[i]]
}

/**
 * X- or DR-learner on top of a fitted T-learner (`base`, with its honest probabilities): the effect
 * regressions (squared loss) are cross-fitted too, so the returned effects of the training rows are honest.
 * DR pseudo-outcome of arm a: mu_a - mu_0 + [A = a](y - mu_a) / e - [A = 0](y - mu_0) / e, e the logged
 * propensity of the row's arm (clipped below by `minPropensity`).
 */
export function trainMetaLearnerWithOof(
  kind: "x-learner" | "dr-learner",
  d: UpliftTrainData,
  o: UpliftOptions,
  base: { model: UpliftModel; oofP: Float64Array[] },
  minPropensity = 0.05
): { model: UpliftModel; oofUplift: Float64Array[] } {
  const n = d.x.nRows
  const mu = base.oofP
  const params: UpliftOptions = { ...o, params: { ...o.params, objective: "squared" } }
  const share = o.arms.map((_, a) => d.arm.reduce((count, v) => count + (v === a ? 1 : 0), 0) / n)
  const oofUplift: Float64Array[] = o.arms.map(() => new Float64Array(n))
  const tau = o.arms.map((_, a): TauModel | null => {
    if (a === o.control || !d.arm.includes(a) || !d.arm.includes(o.control)) return null
    if (kind === "dr-learner") {
      const phi = Float64Array.from({ length: n }, (_, i) => {
        const e = Math.max(minPropensity, rowPropensity(d, i, share))
        const own = d.arm[i] === a ? (d.y[i] - mu[a][i]) / e : d.arm[i] === o.control ? -(d.y[i] - mu[o.control][i]) / e : 0
        return mu[a][i] - mu[o.control][i] + own
      })
      const r = trainCrossFitGbdt(d.x, phi, { folds: o.folds, repeats: o.repeats, innerEarlyStopping: o.innerEarlyStopping, seed: o.seed * 1009 + 300 + a, params: params.params })
      oofUplift[a] = r.oofRaw
      return { fromTreated: r.model, fromControl: null, treatedShare: 1 }
    }
    const treatedRows = rowsOfArms(d.arm, [a])
    const controlRows = rowsOfArms(d.arm, [o.control])
    const weightOf = (rows: number[]) => d.weight && Float64Array.from(rows, (i) => d.weight![i])
    const d1 = Float64Array.from(treatedRows, (i) => d.y[i] - mu[o.control][i])
    const d0 = Float64Array.from(controlRows, (i) => mu[a][i] - d.y[i])
    const fit = (rows: number[], target: Float64Array, salt: number) =>
      trainCrossFitGbdt(selectRows(d.x, rows), target, { folds: o.folds, repeats: o.repeats, innerEarlyStopping: o.innerEarlyStopping, seed: o.seed * 1009 + salt, params: params.params }, weightOf(rows))
    const r1 = fit(treatedRows, d1, 400 + a)
    const r0 = fit(controlRows, d0, 500 + a)
    const g = treatedRows.length / (treatedRows.length + controlRows.length)
    const t1 = baggedPredict(r1.model, d.x)
    const t0 = baggedPredict(r0.model, d.x)
    treatedRows.forEach((i, k) => (t1[i] = r1.oofRaw[k]))
    controlRows.forEach((i, k) => (t0[i] = r0.oofRaw[k]))
    oofUplift[a] = t1.map((v, i) => g * t0[i] + (1 - g) * v)
    return { fromTreated: r1.model, fromControl: r0.model, treatedShare: g }
  })
  const model: UpliftModel = { kind, arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm: [], pooled: null, outcome: base.model, tau }
  return { model, oofUplift }
}

/** Effect of each arm versus control from the tau models of an X- or DR-learner. */
function predictTau(m: UpliftModel, x: Matrix): Float64Array[] {
  return (m.tau ?? []).map((t) => {
    if (!t) return new Float64Array(x.nRows)
    const treated = baggedPredict(t.fromTreated, x)
    if (!t.fromControl) return treated
    const control = baggedPredict(t.fromControl, x)
    return treated.map((v, i) => t.treatedShare * control[i] + (1 - t.treatedShare) * v)
  })
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
  if (o.kind === "x-learner" || o.kind === "dr-learner") return trainMetaLearnerWithOof(o.kind, d, o, trainTLearnerWithOof(d, o)).model
  if (o.kind === "t-learner") return trainTLearner(d, o)
  if (o.kind === "s-learner") return trainSLearner(d, o)
  return trainClassTransformation(d, o)
}

/**
 * Trains and also returns honest uplift predictions for the training rows: every score of a row comes from
 * models that did not see its outcome (T: a row's own arm from the folds without it, other arms' models never
 * saw it; S: the folds without the row, under every arm's indicators; class transformation: its transformed
 * label likewise; X and DR: cross-fitted effect regressions on honest outcome-model scores). X and DR fit
 * their T-learner here unless `base` (a T-learner fitted with the same options, and its honest
 * probabilities, as returned in `oofP`) is passed.
 */
export function trainUpliftWithOof(
  d: UpliftTrainData,
  o: UpliftOptions,
  base?: { model: UpliftModel; oofP: Float64Array[] }
): { model: UpliftModel; oofUplift: Float64Array[]; oofP?: Float64Array[] } {
  const difference = (p: Float64Array[]) => p.map((pa) => pa.map((v, i) => v - p[o.control][i]))
  if (o.kind === "t-learner" || o.kind === "s-learner") {
    const { model, oofP } = o.kind === "t-learner" ? trainTLearnerWithOof(d, o) : trainSLearnerWithOof(d, o)
    return { model, oofUplift: difference(oofP), oofP }
  }
  if (o.kind === "x-learner" || o.kind === "dr-learner") return trainMetaLearnerWithOof(o.kind, d, o, base ?? trainTLearnerWithOof(d, o))
  const sink: OofSink = new Map()
  const model = trainClassTransformation(d, o, sink)
  const uplift = predictUplift(model, d.x)
  for (const [key, { rows, prob }] of sink) rows.forEach((i, k) => (uplift[Number(key)][i] = 2 * prob[k] - 1))
  return { model, oofUplift: uplift }
}

/**
 * Calibrated P(outcome | x, arm) for every arm (T- and S-learners); X- and DR-learners give the T-learner's
 * P(outcome | x, control) plus their effect, kept inside (0, 1).
 */
export function predictArmProbabilities(m: UpliftModel, x: Matrix): Float64Array[] {
  if (m.kind === "x-learner" || m.kind === "dr-learner") {
    const control = baggedPredict(m.outcome!.perArm[m.control]!, x)
    return predictTau(m, x).map((tau) => tau.map((t, i) => Math.min(1 - P_EPS, Math.max(P_EPS, control[i] + t))))
  }
  if (m.kind === "ensemble") {
    const usable = (m.members ?? []).filter((k) => k.kind !== "class-transformation")
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
  if (m.kind === "x-learner" || m.kind === "dr-learner") return predictTau(m, x)
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
