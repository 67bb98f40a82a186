import { matrixFromRows } from "../data/matrix"
import { trainGbdt } from "../trees/gbdt"
import { predictProba } from "../trees/predict"
import type { TreeEnsemble } from "../trees/types"
import { exportTreeEnsemble } from "../onnx/exporters"
import { logloss, rocAuc } from "../metrics/classification"
import type { ModelArtifact } from "../artifact/artifact"
import type { ResponseModel } from "../decision/offer-decision"
import { featureColumns, vectorize } from "../decision/offer-features"
import { NotEnoughDataError, type TrainedModel, type TrainingProgress } from "./types"

/** The offered level: the one column the S-learner adds to the shopper's offer features. */
export const LEVEL_FEATURE = "discount_percent"

/** One logged decision with its outcome; features are the offer features as of decision time (offer-features.ts). */
export interface ResponseExample {
  features: Record<string, number>
  discount_percent: number
  /** Probability of the logged level under the policy as applied. */
  propensity: number
  converted: 0 | 1
  /** Decision time, unix ms: the validation split is the latest 20%, never shuffled across time. */
  at: number
}

export const MIN_RESPONSE_EXAMPLES = 20

/**
 * P(buy | shopper, discount) as boosted trees over the shopper's features and the offered level (an
 * S-learner: the level is a feature, so one model scores every rung of the ladder).
 */
export function trainResponseModel(examples: ResponseExample[], version: string, progress: TrainingProgress = () => undefined): TrainedModel {
  const labels = new Set(examples.map((example) => example.converted))
  if (examples.length < MIN_RESPONSE_EXAMPLES || labels.size < 2) {
    throw new NotEnoughDataError(
      `waiting for data: the response model learns from offer decisions whose outcome is known (their 7-day attribution window has closed); ${examples.length} have one, it needs ${MIN_RESPONSE_EXAMPLES} with both purchases and non-purchases among them`
    )
  }
  const ordered = [...examples].sort((a, b) => a.at - b.at)
  const cut = Math.max(1, Math.floor(ordered.length * 0.8))
  const [train, valid] = [ordered.slice(0, cut), ordered.slice(cut)]
  progress("fit", 20, `training on ${train.length} decisions, validating on the latest ${valid.length}`)
  const columns = [...featureColumns(examples.map((example) => example.features)), LEVEL_FEATURE]
  const toData = (rows: ResponseExample[]) => ({
    x: matrixFromRows(rows.map((row) => levelRow(row.features, row.discount_percent, columns)), columns),
    y: rows.map((row) => row.converted),
  })
  const fitted = trainGbdt(toData(train), { nRounds: 100, maxDepth: 3, learningRate: 0.1, minChildWeight: 1, earlyStoppingRounds: 10 }, toData(valid))
  progress("validate", 80)
  const validProba = predictProba(fitted.model, toData(valid).x)
  const validY = valid.map((row) => row.converted)
  const metrics = {
    logloss: logloss(validY, validProba),
    auc: new Set(validY).size > 1 ? rocAuc(validY, validProba) : 0.5,
    examples: examples.length,
  }
  const artifact: ModelArtifact<TreeEnsemble> = {
    kind: "response",
    version,
    featureSchema: columns.map((name) => ({ name, type: "float" as const })),
    trainedOn: { from: new Date(ordered[0].at).toISOString(), to: new Date(ordered[ordered.length - 1].at).toISOString() },
    metrics,
    createdAt: new Date().toISOString(),
    onnx: exportTreeEnsemble(fitted.model),
    reference: fitted.model,
  }
  progress("done", 100, `validation logloss ${metrics.logloss.toFixed(4)}, AUC ${metrics.auc.toFixed(4)}`)
  return { artifact, selection: { metric: "logloss", value: metrics.logloss, higherIsBetter: false } }
}

function levelRow(features: Record<string, number>, level: number, columns: string[]): number[] {
  return vectorize({ ...features, [LEVEL_FEATURE]: level }, columns)
}

/** The decision engine's view of a trained response model (TypeScript reference scorer: microseconds). */
export function responseModelFromEnsemble(ensemble: TreeEnsemble, version: string, columns: string[]): ResponseModel {
  return {
    version,
    predict(features, levels) {
      const rows = levels.map((level) => levelRow(features, level, columns))
      return Array.from(predictProba(ensemble, matrixFromRows(rows, columns)))
    },
  }
}
