import type { TreeEnsemble } from "../trees/types"
import type { ExecutionProvider } from "../runtime/session"

/** One purchase (or other positive implicit signal) of an item by a user. */
export interface Interaction {
  user: string
  item: string
  /** Unix seconds. */
  time: number
  /** Baskets group interactions into one visit; defaults to user + time. */
  basket?: string
  quantity?: number
  /** Sales value of the line; used for the price band when the catalog has no price. */
  value?: number
}

/** Catalog content of an item; every field is optional. */
export interface ItemContent {
  item: string
  department?: string
  category?: string
  brand?: string
  price?: number
}

/** Flat float vectors of `count` rows by `dim` columns, row i at [i*dim, (i+1)*dim). */
export interface Embeddings {
  ids: string[]
  dim: number
  vectors: Float32Array
}

export interface MfModel {
  dim: number
  userFactors: Float32Array
  itemFactors: Float32Array
  itemBias: Float32Array
}

/** Compressed-row purchase history: user u owns entries [userPtr[u], userPtr[u+1]). */
export interface PurchaseHistory {
  userPtr: Int32Array
  item: Int32Array
  count: Float32Array
  /** Unix seconds of the last purchase of the item by the user. */
  lastTime: Float64Array
  /** Unix seconds of the user's last purchase. */
  userLastTime: Float64Array
  /** Distinct baskets of each entry's item (absent in older models: the count is used). */
  baskets?: Float32Array
  /** Distinct baskets of each user (absent in older models). */
  userBaskets?: Float32Array
}

export interface ItemStats {
  count: Float32Array
  recentCount: Float32Array
  /** Smoothed share of the item's buyers who bought it in two or more baskets. */
  repeatRate: Float32Array
  /** Indices into RecsModel.vocab.*; 0 is "unknown". */
  department: Int32Array
  category: Int32Array
  brand: Int32Array
  priceBand: Int32Array
  globalRepeatRate: number
  /** Distinct households that bought the item (absent in older models). */
  buyers?: Float32Array
  /** Unix seconds of the item's last sale (absent in older models). */
  lastSold?: Float64Array
}

/**
 * Pointwise re-ranker: a logistic model over standardized features, or (when `trees` is set) a gradient
 * boosted tree ensemble (logloss) over the raw features. A model may use fewer features than the current
 * FEATURE_NAMES (older models): only the first featureNames.length features are read.
 */
export interface Ranker {
  featureNames: string[]
  mean: number[]
  scale: number[]
  weights: number[]
  bias: number
  trees?: TreeEnsemble
}

/** A trained hybrid recommender: plain data (typed arrays), see serializeRecsModel for JSON. */
export interface RecsModel {
  kind: "hybrid-recs"
  version: 1
  users: string[]
  items: string[]
  vocab: { department: string[]; category: string[]; brand: string[] }
  referenceTime: number
  mf: MfModel
  stats: ItemStats
  history: PurchaseHistory
  ranker: Ranker
  /** Number of most popular items always among the candidates. */
  popularCandidates: number
  /** Number of embedding nearest items added to the candidates. */
  mfCandidates: number
  /** Items by descending recent popularity (the cold-start order). */
  popularOrder: Int32Array
}

export interface TrainOptions {
  seed?: number
  dim?: number
  epochs?: number
  learningRate?: number
  regularization?: number
  /** Most internal validation folds: 1 = each eligible user's last basket, 2 adds the one before, ... */
  folds?: number
  popularCandidates?: number
  mfCandidates?: number
  /** Days of the recent-popularity decay. */
  recentDays?: number
  rankerL2?: number
  /** Share of negative candidates kept when fitting the re-ranker. */
  negativeRate?: number
  /** Held-out customers per internal fold that train the re-ranker; larger stores are sampled down to it. */
  maxRankerUsers?: number
  /** Held-out customers the re-ranker learns from, over all folds: folds stop once there are this many. */
  rankerCustomers?: number
  /** Re-ranker family: "gbdt" (boosted trees, logloss) or "logistic". */
  ranker?: "gbdt" | "logistic"
  /** Boosted-tree re-ranker settings (ignored by the logistic one). */
  gbdt?: GbdtRankerOptions
  /** onnxruntime providers for the users x items products of training, tried in order (default cpu). */
  providers?: ExecutionProvider[]
  /** Threads for the internal folds (default: 2 where there are two cores and 20,000+ interactions, else 1). */
  threads?: number
  progress?: (line: string) => void
}

export interface GbdtRankerOptions {
  rounds?: number
  learningRate?: number
  maxDepth?: number
  maxLeaves?: number
  minChildWeight?: number
  lambda?: number
  subsample?: number
  colsample?: number
}
