import { serializeArtifact } from "../../../ml/artifact/artifact"
import { propensityModel, trainPropensityModel } from "../../../ml/training/propensity"
import { trainResponseModel, ResponseExample } from "../../../ml/training/response"
import { retrainFraudModel, FraudExample } from "../../../ml/training/fraud"
import type { TrainedModel, TrainingProgress } from "../../../ml/training/types"
import type { TreeEnsemble } from "../../../ml/trees/types"
import { fitRecommender, recommenderModel, RecommenderInput } from "../../../ml/training/recommender"
import type { ItemContent } from "../../../ml/recs"
import { interactionsOf } from "../../../ml/recs/columns"
import type { PurchaseColumns } from "../../../ml/recs/columns"
import type { PackedCustomers } from "../../../ml/recs/customer-state"

/** Purchases cross to the thread as columns (moved typed arrays), rebuilt as interactions there. */
export type TrainingTask =
  | { kind: "propensity"; version: string; purchases: PurchaseColumns; items: ItemContent[] }
  | { kind: "response"; version: string; examples: ResponseExample[]; champion?: TreeEnsemble | null; championTrainedTo?: number }
  | { kind: "fraud"; version: string; examples: FraudExample[]; featureNames: string[] }
  | ({
      kind: "recommender"
      version: string
      purchases: PurchaseColumns
      /** Set: the propensity model of this version is built from the same fit (trainRecommenderAndPropensityNow). */
      propensityVersion?: string
    } & Omit<RecommenderInput, "interactions">)


/** A trained model as the registry registers it. */
export interface TrainedVersion {
  artifact: string
  metrics: Record<string, number>
  trainedOn: { from: string; to: string }
  selection: TrainedModel["selection"]
}

export interface TrainingTaskResult extends TrainedVersion {
  /** Per-customer rows of the version (a recommender's customer states), kept out of the artifact. */
  customers?: PackedCustomers
  /** The propensity model built from a recommender's fit; its customers are the recommender's. */
  propensity?: TrainedVersion
}

/** A trained version as it crosses back from the thread: the serialized artifact as bytes (moved, not copied). */
export type ThreadVersion = Omit<TrainedVersion, "artifact"> & { artifactBytes: Uint8Array }

export type TrainingThreadResult = ThreadVersion & {
  /** PackedCustomers in parts, its arrays at the top level so that they are moved too. */
  customerIds?: string[]
  customerOffsets?: Float64Array
  customerBytes?: Uint8Array
  propensity?: ThreadVersion
}

/** Runs inside the training worker thread (runInThread): plain data in, serialized artifact out. */
export async function runTrainingTask(task: TrainingTask, progress: TrainingProgress): Promise<TrainingThreadResult> {
  const { trained, propensity } = await train(task, progress)
  return {
    ...threadResult(trained),
    customerIds: trained.customers?.ids,
    customerOffsets: trained.customers?.offsets,
    customerBytes: trained.customers?.bytes,
    propensity: propensity && threadResult(propensity),
  }
}

function threadResult(trained: TrainedModel): ThreadVersion {
  return { artifactBytes: serializeArtifact(trained.artifact), metrics: trained.artifact.metrics, trainedOn: trained.artifact.trainedOn, selection: trained.selection }
}

async function train(task: TrainingTask, progress: TrainingProgress): Promise<{ trained: TrainedModel; propensity?: TrainedModel }> {
  switch (task.kind) {
    case "propensity":
      return { trained: await trainPropensityModel(interactionsOf(task.purchases), task.items, task.version, progress) }
    case "response":
      return { trained: await trainResponseModel(task.examples, task.version, progress, { champion: task.champion, championTrainedTo: task.championTrainedTo }) }
    case "fraud":
      return { trained: await retrainFraudModel(task.examples, task.featureNames, task.version, progress) }
    case "recommender": {
      const { purchases, propensityVersion, ...rest } = task
      const input = { ...rest, interactions: interactionsOf(purchases) }
      const fit = await fitRecommender(input, progress)
      const trained = recommenderModel(input, fit, task.version)
      progress("done", 100)
      return { trained, propensity: propensityVersion ? propensityModel(fit, propensityVersion) : undefined }
    }
  }
}
