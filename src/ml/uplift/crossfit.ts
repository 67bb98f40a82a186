import type { Calibrator } from "../calibration/calibration"
import { calibrate, fitPlatt } from "../calibration/calibration"
import type { Matrix } from "../data/matrix"
import { selectRows } from "../data/matrix"
import { mulberry32, shuffleInPlace, take } from "../data/split"
import type { GbdtParams } from "../trees/gbdt"
import { trainGbdt } from "../trees/gbdt"
import { predictRaw } from "../trees/predict"
import type { TreeEnsemble } from "../trees/types"

/**
 * A bag of GBDTs, each trained on all folds but one and early-stopped on the held-out fold; repeated
 * over seeds. The held-out (out-of-fold) scores are honest, so the Platt calibrator is fitted on them.
 */
export interface BaggedGbdt {
  ensembles: TreeEnsemble[]
  /** Maps the mean raw score of the bag to a probability (logloss models only). */
  calibrator: Calibrator | null
}

export interface CrossFitOptions {
  folds: number
  repeats: number
  seed: number
  params: Partial<GbdtParams>
  /**
   * Early-stop each fold's model on a random fifth of its own fitting rows instead of on the held-out fold, so
   * the held-out scores never saw their labels (not even through the choice of the number of rounds). What a
   * choice by out-of-fold scores needs: stopping on the held-out fold flatters flexible models there.
   */
  innerEarlyStopping?: boolean
}

export interface CrossFitResult {
  model: BaggedGbdt
  /** Mean out-of-fold raw score per training row. */
  oofRaw: Float64Array
  /**
   * Per counterfactual matrix (the training rows with some columns changed, e.g. another arm's indicator):
   * each row scored by the fold models that did not see that row.
   */
  oofCounterfactualRaw: Float64Array[]
}

function foldAssignment(n: number, folds: number, rng: () => number): Int32Array {
  const perm = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), rng)
  const fold = new Int32Array(n)
  perm.forEach((row, k) => (fold[row] = k % folds))
  return fold
}

export function trainCrossFitGbdt(x: Matrix, y: Float64Array, opts: CrossFitOptions, weight?: Float64Array, counterfactuals: Matrix[] = []): CrossFitResult {
  const rng = mulberry32(opts.seed)
  const ensembles: TreeEnsemble[] = []
  const cfSum = counterfactuals.map(() => new Float64Array(x.nRows))
  const oofSum = new Float64Array(x.nRows)
  const oofCount = new Float64Array(x.nRows)
  for (let rep = 0; rep < opts.repeats; rep++) {
    const fold = foldAssignment(x.nRows, opts.folds, rng)
    for (let k = 0; k < opts.folds; k++) {
      const fitRows: number[] = []
      const outRows: number[] = []
      fold.forEach((f, i) => (f === k ? outRows : fitRows).push(i))
      const out = { x: selectRows(x, outRows), y: take(y, outRows), weight: weight && take(weight, outRows) }
      const [fitPart, stopPart] = opts.innerEarlyStopping ? splitFifth(fitRows, rng) : [fitRows, outRows]
      const labeled = (rows: number[]) => ({ x: selectRows(x, rows), y: take(y, rows), weight: weight && take(weight, rows) })
      const r = trainGbdt(labeled(fitPart), { ...opts.params, seed: Math.floor(rng() * 2 ** 31) }, stopPart === outRows ? out : labeled(stopPart))
      ensembles.push(r.model)
      const raw = predictRaw(r.model, out.x)
      outRows.forEach((i, j) => {
        oofSum[i] += raw[j]
        oofCount[i]++
      })
      counterfactuals.forEach((cf, c) => predictRaw(r.model, selectRows(cf, outRows)).forEach((v, j) => (cfSum[c][outRows[j]] += v)))
    }
  }
  const oofRaw = oofSum.map((s, i) => s / Math.max(1, oofCount[i]))
  const logloss = (opts.params.objective ?? "logloss") === "logloss"
  const oofCounterfactualRaw = cfSum.map((sum) => sum.map((s, i) => s / Math.max(1, oofCount[i])))
  return { model: { ensembles, calibrator: logloss ? fitPlatt(oofRaw, y) : null }, oofRaw, oofCounterfactualRaw }
}

/** Rows split at random into four fifths and one fifth. */
function splitFifth(rows: number[], rng: () => number): [number[], number[]] {
  const shuffled = shuffleInPlace(Int32Array.from(rows), rng)
  const cut = Math.floor(shuffled.length / 5)
  return [Array.from(shuffled.subarray(cut)), Array.from(shuffled.subarray(0, cut))]
}

export function baggedRaw(model: BaggedGbdt, x: Matrix): Float64Array {
  const out = new Float64Array(x.nRows)
  for (const e of model.ensembles) {
    const r = predictRaw(e, x)
    for (let i = 0; i < out.length; i++) out[i] += r[i] / model.ensembles.length
  }
  return out
}

/** Calibrated probabilities (or raw predictions for squared-error bags). */
export function baggedPredict(model: BaggedGbdt, x: Matrix): Float64Array {
  const raw = baggedRaw(model, x)
  if (!model.calibrator) return raw
  const c = model.calibrator
  return raw.map((r) => calibrate(c, r))
}
