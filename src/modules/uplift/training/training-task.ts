import { serializeArtifact } from "../../../ml/artifact/artifact"
import { trainPropensityModel } from "../../../ml/training/propensity"
import { trainResponseModel, ResponseExample } from "../../../ml/training/response"
import { retrainFraudModel, FraudExample } from "../../../ml/training/fraud"
import type { TrainedModel, TrainingProgress } from "../../../ml/training/types"
import type { TreeEnsemble } from "../../../ml/trees/types"
import { trainRecommenderModel, RecommenderInput } from "../../../ml/training/recommender"
import type { ItemContent } from "../../../ml/recs"
import { interactionsOf } from "../../../ml/recs/columns"
import type { PurchaseColumns } from "../../../ml/recs/columns"
import type { PackedCustomers } from "../../../ml/recs/customer-state"

/** Purchases cross to the thread as columns (moved typed arrays), rebuilt as interactions there. */
export type TrainingTask =
  | { kind: "propensity"; version: string; purchases: PurchaseColumns; items: ItemContent[] }
  | { kind: "response"; version: string; examples: ResponseExample[]; champion?: TreeEnsemble | null }
  | { kind: "fraud"; version: string; examples: FraudExample[]; featureNames: string[] }
  | ({ kind: "recommender"; version: string; purchases: PurchaseColumns } & Omit<RecommenderInput, "interactions">)


export interface TrainingTaskResult {
  artifact: string
  /** Per-customer rows of the version (a recommender's customer states), kept out of the artifact. */
  customers?: PackedCustomers
  metrics: Record<string, number>
  trainedOn: { from: string; to: string }
  selection: TrainedModel["selection"]
}

/** What crosses back from the thread: the serialized artifact as bytes (moved, not copied). */
export type TrainingThreadResult = Omit<TrainingTaskResult, "artifact" | "customers"> & {
  artifactBytes: Uint8Array
  /** PackedCustomers in parts, its arrays at the top level so that they are moved too. */
  customerIds?: string[]
  customerOffsets?: Float64Array
  customerBytes?: Uint8Array
}

/** Runs inside the training worker thread (runInThread): plain data in, serialized artifact out. */
export async function runTrainingTask(task: TrainingTask, progress: TrainingProgress): Promise<TrainingThreadResult> {
  const trained = await train(task, progress)
  return {
    artifactBytes: serializeArtifact(trained.artifact),
    customerIds: trained.customers?.ids,
    customerOffsets: trained.customers?.offsets,
    customerBytes: trained.customers?.bytes,
    metrics: trained.artifact.metrics,
    trainedOn: trained.artifact.trainedOn,
    selection: trained.selection,
  }
}

async function train(task: TrainingTask, progress: TrainingProgress) {
  switch (task.kind) {
    case "propensity":
      return trainPropensityModel(interactionsOf(task.purchases), task.items, task.version, progress)
    case "response":
      return trainResponseModel(task.examples, task.version, progress, { champion: task.champion })
    case "fraud":
      return retrainFraudModel(task.examples, task.featureNames, task.version, progress)
    case "recommender": {
      const { purchases, ...input } = task
      return trainRecommenderModel({ ...input, interactions: interactionsOf(purchases) }, task.version, progress)
    }
  }
}
