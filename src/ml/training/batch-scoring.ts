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
  const dim = model.mf.dim
  const topK = Math.min(k, model.items.length)
  const scorer = await OnnxScorer.fromBytes(exportBatchScoring(model.mf.itemFactors, dim, topK), { providers })
  let customers = 0
  try {
    for (let start = 0; start < model.users.length; start += batchSize) {
      const rows = Math.min(batchSize, model.users.length - start)
      const vectors = model.mf.userFactors.subarray(start * dim, (start + rows) * dim)
      const out = await scorer.run({ user_vectors: floatInput(vectors, [rows, dim]) })
      const scores = out.top_scores.data as Float32Array
      const indices = out.top_indices.data as BigInt64Array
      const results: TopItems[] = []
      for (let r = 0; r < rows; r++) {
        const items = Array.from({ length: topK }, (_, j) => ({
          item: model.items[Number(indices[r * topK + j])],
          score: scores[r * topK + j],
        }))
        results.push({ user: model.users[start + r], items })
      }
      await onBatch(results)
      customers += rows
      await new Promise((resolve) => setImmediate(resolve))
    }
  } finally {
    await scorer.release()
  }
  return { provider: scorer.provider, customers }
}
