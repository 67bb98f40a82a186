import { calibrate } from "../calibration/calibration"
import type { Calibrator } from "../calibration/calibration"
import { predictRawRow, sigmoid } from "../trees/predict"
import type { TreeEnsemble } from "../trees/types"
import type { FactorModel, LinearModel } from "./exporters"

/** TypeScript twins of the exported graphs: the parity reference and the no-runtime fallback scorer. */

export function mfScoresForUser(m: FactorModel, user: number): Float64Array {
  return mfScoresForVector(m, m.userFactors.subarray(user * m.dim, (user + 1) * m.dim), m.userBias ? m.userBias[user] : 0)
}

export function mfScoresForVector(m: FactorModel, vector: ArrayLike<number>, userBias = 0): Float64Array {
  const nItems = m.itemFactors.length / m.dim
  const out = new Float64Array(nItems)
  for (let i = 0; i < nItems; i++) {
    let s = (m.globalBias ?? 0) + userBias + (m.itemBias ? m.itemBias[i] : 0)
    for (let f = 0; f < m.dim; f++) s += vector[f] * m.itemFactors[i * m.dim + f]
    out[i] = s
  }
  return out
}

export function logisticProbability(m: LinearModel, row: ArrayLike<number>): number {
  let z = m.bias
  for (let f = 0; f < m.weights.length; f++) z += m.weights[f] * row[f]
  return sigmoid(z)
}

export function treeProbability(e: TreeEnsemble, row: ArrayLike<number>, calibrator?: Calibrator): number {
  const raw = predictRawRow(e, row)
  return calibrator ? calibrate(calibrator, raw) : sigmoid(raw)
}
