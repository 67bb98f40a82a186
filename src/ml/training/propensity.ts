import { trainValidated, serializeRecsModel, splitCustomers } from "../recs"
import type { Interaction, ItemContent, PackedCustomers, RecsModel, TrainOptions } from "../recs"
import { exportPlainMatMul } from "../onnx/exporters"
import type { ModelArtifact } from "../artifact/artifact"
import type { TrainedModel, TrainingProgress } from "./types"

const MIN_INTERACTIONS = 10

/**
 * Purchase propensity (next-purchase recommender). Validation: each customer's last basket (customers
 * with 3+ baskets) is scored by HR@10 with the model fitted without those baskets, which training builds
 * from its own internal folds (see trainValidated); the served model is fitted on all data.
 */
export async function trainPropensityModel(
  interactions: Interaction[],
  items: ItemContent[],
  version: string,
  progress: TrainingProgress = () => undefined
): Promise<TrainedModel> {
  if (interactions.length < MIN_INTERACTIONS) {
    throw new Error(`not enough purchases to train a propensity model (${interactions.length}, need ${MIN_INTERACTIONS})`)
  }
  progress("fit", 5, `training on ${interactions.length} purchases of ${new Set(interactions.map((x) => x.user)).size} customers`)
  const model = propensityModel(await fitValidated(interactions, items, { seed: 42 }, progress), version)
  progress("done", 100)
  return model
}

/** A fitted hybrid recommender, its customers split off (splitCustomers), as the artifacts of both kinds take it. */
export interface RecommenderFit {
  model: RecsModel
  customers: PackedCustomers
  validation: { hrAt10: number; customers: number }
  trainedOn: { from: string; to: string }
  interactions: number
}

/**
 * The propensity model of a fit: batch scoring uses its embeddings. Also built from the storefront
 * recommender's fit when both are trained together (ModelRegistry.trainRecommenderAndPropensityNow).
 */
export function propensityModel(fit: RecommenderFit, version: string): TrainedModel {
  const artifact: ModelArtifact = {
    kind: "propensity",
    version,
    featureSchema: [{ name: "customer_id", type: "category" }],
    trainedOn: fit.trainedOn,
    metrics: { hr_at_10: fit.validation.hrAt10, validation_customers: fit.validation.customers, interactions: fit.interactions },
    createdAt: new Date().toISOString(),
    // The batch-scoring graph takes user and item factors at run time; the reference holds the model
    // without customers, and their embedding size (their states are the version's rows).
    onnx: exportPlainMatMul(),
    reference: { ...JSON.parse(serializeRecsModel(fit.model)), customerStates: { dim: fit.model.mf.dim, customers: fit.customers.ids.length } },
  }
  return { artifact, customers: fit.customers, selection: { metric: "hr_at_10", value: fit.validation.hrAt10, higherIsBetter: true } }
}

/**
 * The hybrid recommender with its validation figure (trainValidated), reporting progress as the training
 * run shows it, the span of the purchases it learned from (ISO dates), and its customers split off
 * (splitCustomers). Shared by the propensity model and the storefront recommender.
 */
export async function fitValidated(interactions: Interaction[], items: ItemContent[], options: TrainOptions, progress: TrainingProgress): Promise<RecommenderFit> {
  let lines = 0
  const report = (line: string) => progress("fit", Math.min(90, 10 + 12 * lines++), line)
  const { model, validation } = await trainValidated(interactions, items, { ...options, progress: report })
  progress("validate", 95, `validation HR@10 ${validation.hrAt10.toFixed(4)} on ${validation.customers} customers`)
  let from = Infinity
  let to = -Infinity
  for (const x of interactions) {
    from = Math.min(from, x.time)
    to = Math.max(to, x.time)
  }
  // Customers go to rows of the version: the artifact stays the size of the catalog.
  return {
    ...splitCustomers(model),
    validation,
    trainedOn: { from: new Date(from * 1000).toISOString(), to: new Date(to * 1000).toISOString() },
    interactions: interactions.length,
  }
}
