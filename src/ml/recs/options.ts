import { GbdtRankerOptions, TrainOptions } from "./types"

export type ResolvedOptions = Required<Omit<TrainOptions, "progress" | "gbdt">> &
  Pick<TrainOptions, "progress"> & { gbdt: Required<GbdtRankerOptions> }

const GBDT_DEFAULTS: Required<GbdtRankerOptions> = {
  rounds: 100,
  learningRate: 0.05,
  maxDepth: 4,
  maxLeaves: 0,
  minChildWeight: 20,
  lambda: 10,
  subsample: 0.8,
  colsample: 0.8,
}

const DEFAULTS: ResolvedOptions = {
  seed: 42,
  dim: 32,
  epochs: 30,
  learningRate: 0.05,
  regularization: 0.01,
  folds: 4,
  popularCandidates: 200,
  mfCandidates: 50,
  recentDays: 30,
  rankerL2: 1e-4,
  // Chosen with scripts/tune-recs.ts: 0.05 scores like 0.25 on the validation folds with a fifth of the rows.
  negativeRate: 0.05,
  maxRankerUsers: 5_000,
  rankerCustomers: 8_000,
  ranker: "gbdt",
  gbdt: GBDT_DEFAULTS,
  providers: ["cpu"],
  threads: 0,
}

export function resolveOptions(options: TrainOptions): ResolvedOptions {
  return { ...DEFAULTS, ...options, gbdt: { ...GBDT_DEFAULTS, ...options.gbdt } }
}
