import { serializeArtifact } from "../../../ml/artifact/artifact"
import { trainPropensityModel } from "../../../ml/training/propensity"
import { trainResponseModel, ResponseExample } from "../../../ml/training/response"
import { trainFraudModel, FraudExample } from "../../../ml/training/fraud"
import type { TrainingProgress } from "../../../ml/training/types"
import type { Interaction, ItemContent } from "../../../ml/recs"

export type TrainingTask =
  | { kind: "propensity"; version: string; interactions: Interaction[]; items: ItemContent[] }
  | { kind: "response"; version: string; examples: ResponseExample[] }
  | { kind: "fraud"; version: string; examples: FraudExample[]; featureNames: string[] }

export interface TrainingTaskResult {
  artifact: string
  metrics: Record<string, number>
  trainedOn: { from: string; to: string }
  selection: { metric: string; value: number; higherIsBetter: boolean }
}

/** Runs inside the training worker thread: plain data in, serialized artifact out. */
export async function runTrainingTask(task: TrainingTask, progress: TrainingProgress): Promise<TrainingTaskResult> {
  const trained =
    task.kind === "propensity"
      ? await trainPropensityModel(task.interactions, task.items, task.version, progress)
      : task.kind === "response"
        ? trainResponseModel(task.examples, task.version, progress)
        : trainFraudModel(task.examples, task.featureNames, task.version, progress)
  return {
    artifact: serializeArtifact(trained.artifact).toString("utf8"),
    metrics: trained.artifact.metrics,
    trainedOn: trained.artifact.trainedOn,
    selection: trained.selection,
  }
}
