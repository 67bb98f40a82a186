import { serializeRecsModel } from "../recs"
import { fitValidated } from "./propensity"
import type { RecommenderFit } from "./propensity"
import type { Interaction, ItemContent, TrainOptions } from "../recs"
import { boughtTogether } from "../recs/partners"
import { exportPlainMatMul } from "../onnx/exporters"
import type { ModelArtifact } from "../artifact/artifact"
import { NotEnoughDataError, TrainedModel, TrainingProgress } from "./types"

const MIN_PURCHASES = 5

/** What the storefront recommender learns from: purchases, product content and sales per region. */
export interface RecommenderInput {
  interactions: Interaction[]
  items: ItemContent[]
  regionPopular: Record<string, string[]>
  options?: TrainOptions
}

/**
 * The artifact reference of a recommender. The model stays serialized text (serializeRecsModel) inside
 * the envelope: its checksum and parse then cost one string, not a walk over every factor.
 */
export interface RecommenderReference {
  /** The model without its customers (splitCustomers); older artifacts hold every customer in it. */
  model: string
  /**
   * Set when the customers' states are rows of the version in the registry (one per trained customer,
   * see ModelRegistry.customerStates) instead of part of the model: their embedding size.
   */
  customerStates?: { dim: number; customers: number }
  /** Product -> products most often bought with it (see partners.ts). */
  partners: Record<string, string[]>
  /** Region id -> products by recent sales in that region. */
  regionPopular: Record<string, string[]>
}

/**
 * The storefront recommender: the hybrid model on purchases and product content, with bought-together
 * partners and regional popularity. Validation (HR@10 on each customer's held-out last basket) decides
 * champion/challenger promotion like the propensity model's; the served model is the one train() fits.
 */
export async function trainRecommenderModel(input: RecommenderInput, version: string, progress: TrainingProgress = () => undefined): Promise<TrainedModel> {
  const fit = await fitRecommender(input, progress)
  const model = recommenderModel(input, fit, version)
  progress("done", 100)
  return model
}

/** The hybrid model fitted and validated on the store's purchases and catalog, its customers split off. */
export async function fitRecommender(input: RecommenderInput, progress: TrainingProgress): Promise<RecommenderFit> {
  const { interactions, items } = input
  if (interactions.length < MIN_PURCHASES) {
    throw new NotEnoughDataError(`the store has ${interactions.length} purchases by known customers; recommendations learn from ${MIN_PURCHASES} or more`)
  }
  const baskets = new Set(interactions.map((x) => x.basket ?? `${x.user}:${x.time}`)).size
  const users = new Set(interactions.map((x) => x.user)).size
  // Small stores: fewer internal validation folds so that the re-ranker still sees held-out baskets.
  const folds = Math.max(1, Math.min(4, Math.floor(baskets / Math.max(1, users)) - 1))
  progress("fit", 5, `training on ${interactions.length} purchases of ${users} customers and ${items.length} products`)
  return fitValidated(interactions, items, { seed: 42, folds, ...input.options }, progress)
}

/** The recommender of a fit: the model with bought-together partners and regional popularity. */
export function recommenderModel(input: RecommenderInput, fit: RecommenderFit, version: string): TrainedModel {
  const { interactions } = input
  const reference: RecommenderReference = {
    model: serializeRecsModel(fit.model),
    customerStates: { dim: fit.model.mf.dim, customers: fit.customers.ids.length },
    partners: boughtTogether(interactions),
    regionPopular: input.regionPopular,
  }
  const artifact: ModelArtifact<RecommenderReference> = {
    kind: "recommender",
    version,
    featureSchema: [{ name: "customer_id", type: "category" }],
    trainedOn: fit.trainedOn,
    metrics: {
      hr_at_10: fit.validation.hrAt10,
      validation_customers: fit.validation.customers,
      interactions: interactions.length,
      customers: fit.customers.ids.length,
      products: fit.model.items.length,
    },
    createdAt: new Date().toISOString(),
    // Served in TypeScript; the graph is the batch-scoring matmul over the model's factors (as propensity's).
    onnx: exportPlainMatMul(),
    reference,
  }
  return { artifact, customers: fit.customers, selection: { metric: "hr_at_10", value: fit.validation.hrAt10, higherIsBetter: true } }
}
