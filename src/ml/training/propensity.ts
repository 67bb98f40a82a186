import { train, topN, holdOutLastBaskets, serializeRecsModel } from "../recs"
import type { Interaction, ItemContent } from "../recs"
import { exportPlainMatMul } from "../onnx/exporters"
import type { ModelArtifact } from "../artifact/artifact"
import type { TrainedModel, TrainingProgress } from "./types"

const MIN_INTERACTIONS = 10

/**
 * Purchase propensity (next-purchase recommender). Validation: each customer's last basket (customers
 * with 3+ baskets) is held out, the model is fitted on everything else and scored by HR@10; then the
 * served model is refitted on all data.
 */
export function trainPropensityModel(
  interactions: Interaction[],
  items: ItemContent[],
  version: string,
  progress: TrainingProgress = () => undefined
): TrainedModel {
  if (interactions.length < MIN_INTERACTIONS) {
    throw new Error(`not enough purchases to train a propensity model (${interactions.length}, need ${MIN_INTERACTIONS})`)
  }
  progress("validate", 5, `holding out last baskets of ${new Set(interactions.map((x) => x.user)).size} customers`)
  const split = holdOutLastBaskets(interactions, 3)
  let hits = 0
  if (split.heldOut.size) {
    const validationModel = train(split.train, items, { seed: 42 })
    for (const [user, held] of split.heldOut) {
      if (topN(validationModel, user, 10).some((rec) => held.has(rec.item))) hits++
    }
  }
  const hrAt10 = split.heldOut.size ? hits / split.heldOut.size : 0
  progress("fit", 50, `validation HR@10 ${hrAt10.toFixed(4)} on ${split.heldOut.size} customers; refitting on all data`)
  const model = train(interactions, items, { seed: 42 })
  const times = interactions.map((x) => x.time * 1000)
  const artifact: ModelArtifact = {
    kind: "propensity",
    version,
    featureSchema: [{ name: "customer_id", type: "category" }],
    trainedOn: { from: new Date(Math.min(...times)).toISOString(), to: new Date(Math.max(...times)).toISOString() },
    metrics: { hr_at_10: hrAt10, validation_customers: split.heldOut.size, interactions: interactions.length },
    createdAt: new Date().toISOString(),
    // The batch-scoring graph takes user and item factors at run time; the reference holds the model.
    onnx: exportPlainMatMul(),
    reference: JSON.parse(serializeRecsModel(model)),
  }
  progress("done", 100)
  return { artifact, selection: { metric: "hr_at_10", value: hrAt10, higherIsBetter: true } }
}
