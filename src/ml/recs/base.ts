import { IndexedData, Vocabularies, buildHistory, buildItemStats, meanUnitPrices } from "./dataset"
import { trainBpr } from "./bpr"
import type { ResolvedOptions } from "./options"
import { Interaction, ItemContent, ItemStats, MfModel, PurchaseHistory } from "./types"

/** Everything but the re-ranker: fitted on one slice of the interactions. */
export interface BaseModel {
  data: IndexedData
  history: PurchaseHistory
  stats: ItemStats
  vocab: Vocabularies
  mf: MfModel
  referenceTime: number
  popularOrder: Int32Array
}

/** Fits everything but the re-ranker on the interactions (`data` indexes them, see indexInteractions). */
export function fitBase(
  interactions: Interaction[],
  data: IndexedData,
  content: Map<string, ItemContent>,
  opts: ResolvedOptions,
  seed: number
): BaseModel {
  let referenceTime = -Infinity
  for (let k = 0; k < data.time.length; k++) referenceTime = Math.max(referenceTime, data.time[k])
  const history = buildHistory(data)
  const prices = meanUnitPrices(interactions, data)
  const { stats, vocab } = buildItemStats(data, history, content, prices, referenceTime, opts.recentDays)
  const { model: mf } = trainBpr(history, data.items.length, {
    dim: opts.dim,
    epochs: opts.epochs,
    learningRate: opts.learningRate,
    regularization: opts.regularization,
    seed,
  })
  const popularOrder = Int32Array.from(
    [...stats.recentCount.keys()].sort((a, b) => stats.recentCount[b] - stats.recentCount[a] || a - b)
  )
  return { data, history, stats, vocab, mf, referenceTime, popularOrder }
}
