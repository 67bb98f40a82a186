import { parseRecsModel } from "../ml/recs"
import type { RecsModel } from "../ml/recs"
import type { RecommenderReference } from "../ml/training/recommender"

/** What serving needs: the hybrid model plus bought-together partners and popularity per region. */
export interface RecsArtifact {
  model: RecsModel
  /** Product -> products most often in the same basket (normalised co-occurrence, best first). */
  partners: Record<string, string[]>
  /** Region id -> products by recent sales in that region (from the store's orders). */
  regionPopular: Record<string, string[]>
  /** Set when the trained customers' states are rows in the registry (not in the model): their embedding size. */
  customerStates: { dim: number } | null
}

/** The servable recommender of a registry artifact's reference (see src/ml/training/recommender.ts). */
export function recsArtifactOf(reference: RecommenderReference): RecsArtifact {
  return {
    model: parseRecsModel(reference.model),
    partners: reference.partners ?? {}, regionPopular: reference.regionPopular ?? {},
    customerStates: reference.customerStates ? { dim: reference.customerStates.dim } : null,
  }
}
