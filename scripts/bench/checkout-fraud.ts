import { FraudScorer } from "../../src/modules/fraud/scoring/scorer"
import { liveFeatureRow } from "../../src/modules/fraud/model/features"
import { mulberry32 } from "../../src/ml/tabular"
import type { BenchResult, BenchSection } from "./types"
import { quantile, round } from "../lib/medusa-store"
import { runJestBench } from "./jest-bench"

/** In-process scoring of one checkout (ONNX run + explanation), as the validate hook does it. */
async function scoringLatency(): Promise<BenchResult[]> {
  const scorer = new FraudScorer()
  await scorer.load()
  if (scorer.engine !== "onnx") throw new Error(`fraud model not served by ONNX: ${scorer.loadError}`)
  const rng = mulberry32(7)
  const now = Date.now()
  const rows = Array.from({ length: 3_000 }, () =>
    liveFeatureRow({
      signupAt: new Date(now - rng() * 90 * 86_400_000),
      purchaseAt: new Date(now),
      purchaseValue: 5 + rng() * 200,
      accountsOnDevice: 1 + Math.floor(rng() * 4),
      accountsOnIp: 1 + Math.floor(rng() * 4),
      sameValueOnDevice: Math.floor(rng() * 2),
      signupsOnDevice: Math.floor(rng() * 3),
    })
  )
  for (const row of rows.slice(0, 200)) await scorer.score(row)
  const times: number[] = []
  for (const row of rows) {
    const t = process.hrtime.bigint()
    await scorer.score(row)
    times.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  times.sort((a, b) => a - b)
  return [
    { benchmark: "fraud_score_p50_ms", value: round(quantile(times, 0.5)), unit: "ms" },
    { benchmark: "fraud_score_p99_ms", value: round(quantile(times, 0.99)), unit: "ms" },
  ]
}

/**
 * Boots the store once (Medusa's integration runner, real Postgres) and times POST /store/carts/:id/complete
 * with the fraud screening on and off, alternating, on identically prepared carts.
 */
function checkoutRatio(): BenchResult[] {
  const r = runJestBench<{
    with_ms: number
    without_ms: number
    pairs: number
    phases: Record<string, number>
    timeline: Record<string, { with: number; without: number }>
  }>("checkout-fraud")
  return [
    { benchmark: "checkout_complete_median_ms_with_fraud", value: round(r.with_ms, 1), unit: "ms" },
    { benchmark: "checkout_complete_median_ms_without_fraud", value: round(r.without_ms, 1), unit: "ms" },
    { benchmark: "checkout_complete_ratio", value: round(r.with_ms / r.without_ms), unit: "ratio" },
    { benchmark: "checkout_complete_pairs", value: r.pairs, unit: "pairs" },
    { benchmark: "checkout_fraud_added_median_ms", value: round(r.with_ms - r.without_ms, 1), unit: "ms" },
    // Where the added time goes: the median of each phase of the screened checkouts.
    ...Object.entries(r.phases).map(([phase, ms]) => ({ benchmark: `checkout_fraud_${phase}_median_ms`, value: round(ms, 2), unit: "ms" })),
    // Where on the checkout's timeline it lands (request to workflow, validate hook, ..., finish to response):
    // each segment's median with screening less its median without.
    ...Object.entries(r.timeline ?? {}).map(([segment, ms]) => ({ benchmark: `checkout_fraud_segment_${segment}_added_ms`, value: round(ms.with - ms.without, 2), unit: "ms" })),
  ]
}

/**
 * The history statement's median as earlier checkouts pile up on the shopper's IP, and with a promotion in the
 * cart as they pile up on the shipping address (checkout-history.bench.ts): what screening costs on a store
 * behind a shared IP, under a checkout flood, or on an address many accounts ship to.
 */
function historyGrowth(): BenchResult[] {
  const medians = runJestBench<{ ip: Record<string, number>; address_with_promotion: Record<string, number> }>("checkout-history")
  return [
    ...Object.entries(medians.ip).map(([size, ms]) => ({ benchmark: `checkout_history_p50_ms_at_${size}_ip_checkouts`, value: round(ms, 2), unit: "ms" })),
    ...Object.entries(medians.address_with_promotion).map(([size, ms]) => ({ benchmark: `checkout_history_with_promotion_p50_ms_at_${size}_address_checkouts`, value: round(ms, 2), unit: "ms" })),
  ]
}

export const checkoutFraudSection: BenchSection = {
  name: "checkout-fraud",
  run: async () => [...(await scoringLatency()), ...historyGrowth(), ...checkoutRatio()],
}
