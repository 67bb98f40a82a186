import { train } from "../ml/recs"
import type { Interaction, ItemContent, TrainOptions } from "../ml/recs"
import { boughtTogether, serializeArtifact } from "./artifact"

export interface RecsTrainingInput {
  interactions: Interaction[]
  items: ItemContent[]
  regionPopular: Record<string, string[]>
  options?: TrainOptions
}

/** Runs in the training thread: plain data in, serialized artifact out (see artifact.ts). */
export async function runRecsTraining(input: RecsTrainingInput): Promise<string> {
  const baskets = new Set(input.interactions.map((x) => x.basket ?? `${x.user}:${x.time}`)).size
  const users = new Set(input.interactions.map((x) => x.user)).size
  // Small stores: fewer internal validation folds so that the re-ranker still sees held-out baskets.
  const folds = Math.max(1, Math.min(4, Math.floor(baskets / Math.max(1, users)) - 1))
  const model = await train(input.interactions, input.items, { seed: 42, folds, ...input.options })
  return serializeArtifact({ model, partners: boughtTogether(input.interactions), regionPopular: input.regionPopular })
}
