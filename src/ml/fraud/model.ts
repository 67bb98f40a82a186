import type { Calibrator } from "../calibration/calibration"
import { calibrate, fitPlatt } from "../calibration/calibration"
import type { Matrix } from "../data/matrix"
import { selectRows } from "../data/matrix"
import { stratifiedSplit, take } from "../data/split"
import type { GbdtParams, LabeledData } from "../trees/gbdt"
import { trainGbdt } from "../trees/gbdt"
import { predictRaw, predictRawRow } from "../trees/predict"
import type { TreeEnsemble } from "../trees/types"

/** A trained fraud scorer as plain data: GBDT logit, then Platt calibration fitted on held-out rows. */
export interface FraudModel {
  ensemble: TreeEnsemble
  calibrator: Calibrator
  featureNames: string[]
  /** Rounds kept by early stopping, for the record. */
  rounds: number
}

export const fraudGbdtParams: Partial<GbdtParams> = {
  maxDepth: 3,
  learningRate: 0.03,
  nRounds: 2000,
  minChildWeight: 5,
  subsample: 0.8,
  colsample: 0.8,
  lambda: 5,
  earlyStoppingRounds: 100,
}

export interface FraudTrainOptions {
  seed: number
  /** Share of the training rows held out for early stopping and calibration. */
  validationFraction?: number
  params?: Partial<GbdtParams>
}

/** Settings for a store's own labels (hundreds, not tens of thousands): fewer, larger steps. */
export const storeFraudGbdtParams: Partial<GbdtParams> = { nRounds: 150, maxDepth: 3, learningRate: 0.08, minChildWeight: 1, earlyStoppingRounds: 20 }

/**
 * Trains on the public data set: a stratified inner split for early stopping and calibration. `npm run eval`
 * and the shipped artifact (scripts/train-fraud-model.ts) both call this with the default settings, on
 * buildFraudFeatures (point-in-time) rows.
 */
export function trainFraudModel(x: Matrix, y: ArrayLike<number>, opts: FraudTrainOptions): FraudModel {
  const inner = stratifiedSplit(y, opts.validationFraction ?? 0.2, opts.seed + 1)
  const fit = { x: selectRows(x, inner.train), y: take(Float64Array.from(y), inner.train) }
  const valid = { x: selectRows(x, inner.test), y: take(Float64Array.from(y), inner.test) }
  return fitFraudModel(fit, valid, { ...fraudGbdtParams, ...opts.params, seed: opts.seed })
}

/**
 * The one fraud fit: boosted trees early-stopped on `valid`, then Platt calibration on the same rows. The
 * public-data trainer and the store's retraining (src/ml/training/fraud.ts) differ only in split and settings.
 */
export function fitFraudModel(fit: LabeledData, valid: LabeledData, params: Partial<GbdtParams>): FraudModel {
  const r = trainGbdt(fit, params, valid)
  const calibrator = fitPlatt(predictRaw(r.model, valid.x), valid.y)
  return { ensemble: r.model, calibrator, featureNames: fit.x.names.slice(), rounds: r.bestRounds }
}

export function fraudProbability(model: FraudModel, featureRow: ArrayLike<number>): number {
  return calibrate(model.calibrator, predictRawRow(model.ensemble, featureRow))
}

export function fraudProbabilities(model: FraudModel, x: Matrix): Float64Array {
  const raw = predictRaw(model.ensemble, x)
  return raw.map((r) => calibrate(model.calibrator, r))
}

/** 0-100 risk score shown to reviewers: the calibrated probability in percent. */
export function fraudScore(probability: number): number {
  return Math.round(100 * probability)
}
