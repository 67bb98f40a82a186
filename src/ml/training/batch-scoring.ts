import { exportBatchScoring } from "../onnx/exporters"
import type { ExecutionProvider } from "../runtime/session"
import { OnnxScorer, floatInput } from "../runtime/scorer"
import type { RecsModel } from "../recs/types"

export interface TopItems {
  user: string
  items: { item: string; score: number }[]
}

/**
 * Every known customer's top-k items by matrix-factorisation affinity (user x item factors), in batches through onnxruntime on
 * the first execution provider that loads (CUDA on a GPU host, else CPU). Each batch's results go to `onBatch` as soon as
 * they are scored (awaited before the next batch), so that memory holds one batch, not every customer's list.
 */
export async function batchTopItems(
  model: RecsModel,
  k: number,
  providers: ExecutionProvider[],
  onBatch: (results: TopItems[]) => Promise<void>,
  batchSize = 1_000
): Promise<{ provider: ExecutionProvider; customers: number }> {
  return batchTopItemsOf(model, modelCustomers(model, batchSize), k, providers, onBatch)
}

/** One batch of customers to score: their ids and embeddings (row r at [r * dim, (r + 1) * dim)). */
export interface CustomerVectors {
  users: string[]
  vectors: Float32Array
}

/** The customers a model holds itself, a batch at a time (views, not copies). */
export async function* modelCustomers(model: RecsModel, batchSize: number): AsyncGenerator<CustomerVectors> {
  const dim = model.mf.dim
  for (let start = 0; start < model.users.length; start += batchSize) {
    const rows = Math.min(batchSize, model.users.length - start)
    yield { users: model.users.slice(start, start + rows), vectors: model.mf.userFactors.subarray(start * dim, (start + rows) * dim) }
  }
}

/**
 * As batchTopItems, for customers that come in batches from elsewhere (a model whose customers are rows,
 * read a page at a time): the model gives the items.
 */
export async function batchTopItemsOf(
  model: RecsModel,
  customers: AsyncIterable<CustomerVectors>,
  k: number,
  providers: ExecutionProvider[],
  onBatch: (results: TopItems[]) => Promise<void>
): Promise<{ provider: ExecutionProvider; customers: number }> {
  const dim = model.mf.dim
  const topK = Math.min(k, model.items.length)
  const scorer = await OnnxScorer.fromBytes(exportBatchScoring(model.mf.itemFactors, dim, topK), { providers })
  let scored = 0
  try {
    for await (const { users, vectors } of customers) {
      const rows = users.length
      if (!rows) continue
      const out = await scorer.run({ user_vectors: floatInput(vectors, [rows, dim]) })
      const scores = out.top_scores.data as Float32Array
      const indices = out.top_indices.data as BigInt64Array
      const results: TopItems[] = []
      for (let r = 0; r < rows; r++) {
        const items = Array.from({ length: topK }, (_, j) => ({
          item: model.items[Number(indices[r * topK + j])],
          score: scores[r * topK + j],
        }))
        results.push({ user: users[r], items })
      }
      await onBatch(results)
      scored += rows
      await new Promise((resolve) => setImmediate(resolve))
    }
  } finally {
    await scorer.release()
  }
  return { provider: scorer.provider, customers: scored }
}
