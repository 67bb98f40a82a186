/** Ranking metrics with binary relevance. `ranked` is best-first; `relevant` is the held-out set. */

/** 1 when at least one relevant item is in the top k, else 0. */
export function hitAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  const n = Math.min(k, ranked.length)
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) return 1
  return 0
}

/** DCG@k / ideal DCG@k, where the ideal ranking puts min(|relevant|, k) relevant items first. */
export function ndcgAtK(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0
  const n = Math.min(k, ranked.length)
  let dcg = 0
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) dcg += 1 / Math.log2(i + 2)
  let idcg = 0
  const ideal = Math.min(relevant.size, k)
  for (let i = 0; i < ideal; i++) idcg += 1 / Math.log2(i + 2)
  return dcg / idcg
}

/** Mean HR@k over users: share of users with at least one relevant item in their top k. */
export function hr_at_k(rankings: ArrayLike<number>[], relevants: ReadonlySet<number>[], k: number): number {
  return meanOver(rankings, relevants, (r, rel) => hitAtK(r, rel, k))
}

/** Mean NDCG@k over users with binary relevance. */
export function ndcg_at_k(rankings: ArrayLike<number>[], relevants: ReadonlySet<number>[], k: number): number {
  return meanOver(rankings, relevants, (r, rel) => ndcgAtK(r, rel, k))
}

function meanOver(
  rankings: ArrayLike<number>[],
  relevants: ReadonlySet<number>[],
  metric: (ranked: ArrayLike<number>, relevant: ReadonlySet<number>) => number
): number {
  if (rankings.length !== relevants.length) throw new Error("rankings and relevants differ in length")
  if (rankings.length === 0) return 0
  let sum = 0
  for (let u = 0; u < rankings.length; u++) sum += metric(rankings[u], relevants[u])
  return sum / rankings.length
}
