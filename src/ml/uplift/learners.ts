import type { Matrix } from "../data/matrix"
import { selectRows, withExtraColumns } from "../data/matrix"
import type { GbdtParams } from "../trees/gbdt"
import type { BaggedGbdt } from "./crossfit"
import { baggedPredict, trainCrossFitGbdt } from "./crossfit"

/**
 * Multi-treatment uplift: arms are a ladder of treatments (e.g. discount levels) with arm `control`
 * meaning "none". Every learner predicts, per arm, the effect versus control; T- and S-learners also
 * give calibrated P(outcome | x, arm).
 */
export type UpliftLearnerKind = "t-learner" | "s-learner" | "class-transformation"

export interface UpliftTrainData {
  x: Matrix
  arm: Int32Array
  y: Float64Array
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

function crossFit(x: Matrix, y: Float64Array, o: UpliftOptions, salt: number, weight?: Float64Array): BaggedGbdt {
  return trainCrossFitGbdt(x, y, { folds: o.folds, repeats: o.repeats, seed: o.seed * 1009 + salt, params: o.params }, weight).model
}

function trainTLearner(d: UpliftTrainData, o: UpliftOptions): UpliftModel {
  const perArm = o.arms.map((_, a) => {
    const rows = rowsOfArms(d.arm, [a])
    if (rows.length === 0) return null
    return crossFit(selectRows(d.x, rows), Float64Array.from(rows, (i) => d.y[i]), o, a)
  })
  return { kind: o.kind, arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm, pooled: null }
}

function trainSLearner(d: UpliftTrainData, o: UpliftOptions): UpliftModel {
  const x = withExtraColumns(d.x, indicatorNames(o.arms, o.control), (i) => armIndicators(o.arms.length, o.control, d.arm[i]))
  const pooled = crossFit(x, d.y, o, 99)
  return { kind: o.kind, arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm: [], pooled }
}

/**
 * Class transformation per treated arm vs control: z = y for treated rows, 1 - y for control rows,
 * weighted so both groups count equally; then uplift = 2 P(z = 1 | x) - 1.
 */
function trainClassTransformation(d: UpliftTrainData, o: UpliftOptions): UpliftModel {
  const perArm = o.arms.map((_, a) => {
    if (a === o.control) return null
    const rows = rowsOfArms(d.arm, [a, o.control])
    const nTreated = rows.filter((i) => d.arm[i] === a).length
    const share = nTreated / rows.length
    const z = Float64Array.from(rows, (i) => (d.arm[i] === a ? d.y[i] : 1 - d.y[i]))
    const w = Float64Array.from(rows, (i) => (d.arm[i] === a ? 0.5 / share : 0.5 / (1 - share)))
    return crossFit(selectRows(d.x, rows), z, o, a, w)
  })
  return { kind: o.kind, arms: o.arms, control: o.control, featureNames: d.x.names.slice(), perArm, pooled: null }
}

export function trainUplift(d: UpliftTrainData, o: UpliftOptions): UpliftModel {
  if (o.kind === "t-learner") return trainTLearner(d, o)
  if (o.kind === "s-learner") return trainSLearner(d, o)
  return trainClassTransformation(d, o)
}

/** Calibrated P(outcome | x, arm) for every arm (T- and S-learners). */
export function predictArmProbabilities(m: UpliftModel, x: Matrix): Float64Array[] {
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
