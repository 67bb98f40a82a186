import { exportMatrixFactorization } from "../onnx/exporters"
import { OnnxScorer, floatInput } from "../runtime/scorer"
import type { ExecutionProvider } from "../runtime/session"
import type { BaseModel } from "./base"
import { MfModel } from "./types"

const BATCH_USERS = 1024

/**
 * Each listed user's n best items by b_i + p_u . q_i (best first). The users x items product is the
 * heaviest arithmetic of training, so it runs in batches through onnxruntime (MatMul + TopK) on the first
 * provider that loads, about 30x a plain TypeScript loop on CPU.
 */
export async function embeddingTopForUsers(
  mf: MfModel,
  users: ArrayLike<number>,
  n: number,
  providers: ExecutionProvider[]
): Promise<Int32Array[]> {
  const k = Math.min(n, mf.itemBias.length)
  if (k <= 0 || users.length === 0) return Array.from({ length: users.length }, () => new Int32Array(0))
  const graph = exportMatrixFactorization(
    { dim: mf.dim, userFactors: new Float32Array(0), itemFactors: mf.itemFactors, itemBias: mf.itemBias },
    { input: "vectors", topK: k }
  )
  const scorer = await OnnxScorer.fromBytes(graph, { providers })
  const d = mf.dim
  const out: Int32Array[] = []
  try {
    for (let start = 0; start < users.length; start += BATCH_USERS) {
      const rows = Math.min(BATCH_USERS, users.length - start)
      const vectors = new Float32Array(rows * d)
      for (let r = 0; r < rows; r++) vectors.set(mf.userFactors.subarray(users[start + r] * d, (users[start + r] + 1) * d), r * d)
      const result = await scorer.run({ user_vectors: floatInput(vectors, [rows, d]) })
      const indices = result.top_indices.data as BigInt64Array
      for (let r = 0; r < rows; r++) out.push(Int32Array.from(indices.subarray(r * k, (r + 1) * k), Number))
    }
  } finally {
    await scorer.release()
  }
  return out
}

export type CandidateSource = Pick<BaseModel, "mf" | "popularOrder" | "stats">

/** Owned items, the most popular items and the given nearest items by embedding, without repeats. */
export function candidateItems(m: CandidateSource, owned: Iterable<number>, nPopular: number, nearest: ArrayLike<number>): number[] {
  const set = new Set<number>(owned)
  for (let k = 0; k < Math.min(nPopular, m.popularOrder.length); k++) set.add(m.popularOrder[k])
  for (let k = 0; k < nearest.length; k++) set.add(nearest[k])
  return [...set]
}
