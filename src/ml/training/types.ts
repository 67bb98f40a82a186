import type { ModelArtifact } from "../artifact/artifact"
import type { PackedCustomers } from "../recs/customer-state"

export type TrainingProgress = (stage: string, percent: number, line?: string) => void

/** What a trainer hands back: a serialized-ready artifact and the validation metric that decides promotion. */
export interface TrainedModel {
  artifact: ModelArtifact
  /**
   * Per-customer parts kept out of the artifact (a recommender's customer states): the registry stores
   * them as rows of the version, read one customer at a time.
   */
  customers?: PackedCustomers
  /** Name and value of the validation metric the champion/challenger rule compares. */
  selection: {
    metric: string
    value: number
    higherIsBetter: boolean
    /**
     * The active model's value of the same metric on the same validation rows, when the trainer was given
     * it: what the challenger is compared with (a value measured on other rows is not comparable).
     */
    champion?: number
  }
}

/**
 * The store has not yet collected what a model learns from. Not a failure: the run ends waiting for data and
 * the next scheduled run tries again. The message says, in a merchant's words, what is missing.
 */
export class NotEnoughDataError extends Error {
  static readonly code = "not_enough_data"
  readonly code = NotEnoughDataError.code
}
