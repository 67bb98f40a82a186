import { matrixFromRows } from "../data/matrix"
import { predictRaw } from "../trees/predict"
import { calibrateAll } from "../calibration/calibration"
import type { Calibrator } from "../calibration/calibration"
import { fitFraudModel, storeFraudGbdtParams } from "../fraud/model"
import type { TreeEnsemble } from "../trees/types"
import { exportTreeEnsemble } from "../onnx/exporters"
import { averagePrecision, rocAuc } from "../metrics/classification"
import type { ModelArtifact } from "../artifact/artifact"
import { NotEnoughDataError, type TrainedModel, type TrainingProgress } from "./types"

/** One labelled order: its feature row as assessed at checkout, and the verdict (1 = fraud). */
export interface FraudExample {
  row: number[]
  label: 0 | 1
  /** Assessment time, unix ms: validation is the latest 30%. */
  at: number
}

/** The store's labelled orders as feature rows in the live model's column order (the fraud module builds it). */
export interface FraudTrainingSet {
  featureNames: string[]
  examples: FraudExample[]
}

const MIN_EXAMPLES = 30

/**
 * Retrains the checkout fraud model from the store's own labels (chargebacks, reviews, hold outcomes):
 * boosted trees with Platt calibration fitted on the latest labels, selected by ROC-AUC there.
 */
export function retrainFraudModel(examples: FraudExample[], featureNames: string[], version: string, progress: TrainingProgress = () => undefined): TrainedModel {
  const frauds = examples.filter((example) => example.label === 1).length
  if (examples.length < MIN_EXAMPLES || frauds < 3 || examples.length - frauds < 3) {
    throw new NotEnoughDataError(
      `waiting for data: the fraud model retrains from orders labelled fraud or genuine (reviews, chargebacks); ${examples.length} are labelled (${frauds} fraud), it needs ${MIN_EXAMPLES} with at least 3 of each; until then the shipped model scores checkouts`
    )
  }
  const ordered = [...examples].sort((a, b) => a.at - b.at)
  const cut = Math.floor(ordered.length * 0.7)
  const [train, valid] = [ordered.slice(0, cut), ordered.slice(cut)]
  const toData = (rows: FraudExample[]) => ({ x: matrixFromRows(rows.map((r) => r.row), featureNames), y: rows.map((r) => r.label) })
  progress("fit", 20, `training on ${train.length} labelled orders, validating on the latest ${valid.length}`)
  const validData = toData(valid)
  const { ensemble, calibrator } = fitFraudModel(toData(train), validData, storeFraudGbdtParams)
  const probability = calibrateAll(calibrator, predictRaw(ensemble, validData.x))
  const validY = valid.map((r) => r.label)
  const twoClasses = new Set(validY).size > 1
  const metrics = {
    roc_auc: twoClasses ? rocAuc(validY, probability) : 0.5,
    pr_auc: twoClasses ? averagePrecision(validY, probability) : 0,
    labels: examples.length,
    frauds,
  }
  const artifact: ModelArtifact<{ ensemble: TreeEnsemble; calibrator: Calibrator }> = {
    kind: "fraud",
    version,
    featureSchema: featureNames.map((name) => ({ name, type: "float" as const })),
    trainedOn: { from: new Date(ordered[0].at).toISOString(), to: new Date(ordered[ordered.length - 1].at).toISOString() },
    metrics,
    createdAt: new Date().toISOString(),
    onnx: exportTreeEnsemble(ensemble, calibrator),
    reference: { ensemble, calibrator },
  }
  progress("done", 100, `validation ROC-AUC ${metrics.roc_auc.toFixed(4)}, PR-AUC ${metrics.pr_auc.toFixed(4)}`)
  return { artifact, selection: { metric: "roc_auc", value: metrics.roc_auc, higherIsBetter: true } }
}
