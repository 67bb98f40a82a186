import { itemEmbeddings, itemIndexOf } from "../ml/recs"
import type { RecsArtifact } from "./artifact"

export type ReasonCode = "often_bought" | "bought_before" | "bought_together" | "similar" | "popular_region" | "popular"

export interface Reason {
  code: ReasonCode
  /** The product the reason refers to (bought together with / similar to), if any. */
  source_product_id: string | null
}

/** The shopper's own history as the reasons read it: purchases per product, most frequent first. */
export interface OwnedHistory {
  counts: Map<string, number>
}

const SIMILAR_MIN_COSINE = 0.3
const SOURCES = 20

/**
 * Why an item is recommended, most personal first: the shopper buys it often (or bought it), it is
 * bought together with something they buy, it is similar to something they buy, or it is popular.
 */
export function explain(item: string, owned: OwnedHistory, artifact: RecsArtifact | null, regional: Set<string>): Reason {
  const count = owned.counts.get(item) ?? 0
  if (count >= 2) return { code: "often_bought", source_product_id: null }
  if (count === 1) return { code: "bought_before", source_product_id: null }
  const sources = [...owned.counts].sort((a, b) => b[1] - a[1]).slice(0, SOURCES).map(([id]) => id)
  if (artifact && sources.length) {
    const partners = artifact.partners
    const together = sources.find((s) => partners[s]?.includes(item) || partners[item]?.includes(s))
    if (together) return { code: "bought_together", source_product_id: together }
    const similar = mostSimilar(artifact, item, sources)
    if (similar) return { code: "similar", source_product_id: similar }
  }
  return { code: regional.has(item) ? "popular_region" : "popular", source_product_id: null }
}

function mostSimilar(artifact: RecsArtifact, item: string, sources: string[]): string | null {
  const { dim, vectors } = itemEmbeddings(artifact.model)
  const i = itemIndexOf(artifact.model, item)
  if (i < 0) return null
  let best: string | null = null
  let bestCos = SIMILAR_MIN_COSINE
  for (const s of sources) {
    const j = itemIndexOf(artifact.model, s)
    if (j < 0) continue
    let dot = 0
    let ni = 0
    let nj = 0
    for (let f = 0; f < dim; f++) {
      const a = vectors[i * dim + f]
      const b = vectors[j * dim + f]
      dot += a * b
      ni += a * a
      nj += b * b
    }
    const cos = dot / (Math.sqrt(ni * nj) + 1e-12)
    if (cos > bestCos) {
      bestCos = cos
      best = s
    }
  }
  return best
}

/** The sentence a shopper sees. */
export function reasonText(reason: Reason, title: (id: string) => string | undefined): string {
  const source = reason.source_product_id ? title(reason.source_product_id) : undefined
  switch (reason.code) {
    case "often_bought":
      return "You often buy this"
    case "bought_before":
      return "You bought this before"
    case "bought_together":
      return source ? `Bought together with ${source}` : "Often bought together with your usual items"
    case "similar":
      return source ? `Similar to ${source}` : "Similar to items you buy"
    case "popular_region":
      return "Popular in your region"
    default:
      return "Popular right now"
  }
}
