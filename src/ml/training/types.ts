import type { ModelArtifact } from "../artifact/artifact"

export type TrainingProgress = (stage: string, percent: number, line?: string) => void

/** What a trainer hands back: a serialized-ready artifact and the validation metric that decides promotion. */
export interface TrainedModel {
  artifact: ModelArtifact
  /** Name and value of the validation metric the champion/challenger rule compares. */
  selection: { metric: string; value: number; higherIsBetter: boolean }
}
