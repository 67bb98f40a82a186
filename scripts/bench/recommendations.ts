import type { BenchResult, BenchSection } from "../bench"
import { runJestBench } from "./jest-bench"

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits

/**
 * Seeds the demo store (Complete Journey) into the integration runner's throwaway database, trains the
 * recommender, and times 50 recommendations per request through HTTP (scripts/bench/recommendations.bench.ts).
 */
function recommendationLatency(): BenchResult[] {
  const r = runJestBench("recommendations")
  return [
    // Every request counted: each customer's first (uncached) and a repeat (cached), 50 items each.
    { benchmark: "recommendations_p99_ms", value: round(r.p99_all, 2), unit: "ms" },
    { benchmark: "recommendations_p50_ms", value: round(r.p50_all, 2), unit: "ms" },
    { benchmark: "recommendations_uncached_p99_ms", value: round(r.p99_first, 2), unit: "ms" },
    { benchmark: "recommendations_uncached_p50_ms", value: round(r.p50_first, 2), unit: "ms" },
    { benchmark: "recommendations_cached_p99_ms", value: round(r.p99_cached, 2), unit: "ms" },
    { benchmark: "similar_products_p99_ms", value: round(r.p99_similar, 2), unit: "ms" },
    { benchmark: "similar_products_p50_ms", value: round(r.p50_similar, 2), unit: "ms" },
    // Medusa's own floor in the same run: GET /store/customers/me with the same key and session.
    { benchmark: "store_customer_me_p99_ms", value: round(r.p99_me, 2), unit: "ms" },
    { benchmark: "store_customer_me_p50_ms", value: round(r.p50_me, 2), unit: "ms" },
    { benchmark: "recommendations_items_per_request", value: round(r.mean_items, 1), unit: "items" },
    { benchmark: "recommendations_train_s", value: round(r.train_ms / 1000, 1), unit: "s" },
    // Loading the model and precomputing cards, rankings and similar items, before requests are timed.
    { benchmark: "recommendations_warm_s", value: round(r.warm_ms / 1000, 1), unit: "s" },
  ]
}

export const recommendationsSection: BenchSection = {
  name: "recommendations",
  run: async () => recommendationLatency(),
}
