import { useQuery } from "@tanstack/react-query"
import { apiGet } from "./client"

export interface FraudThresholds {
  hold_score: number | null
  block_score: number | null
}

export type ScoreBand = "below_hold" | "hold" | "block"

/** Where a score falls against the store's thresholds (a null threshold never triggers). */
export function scoreBand(score: number, { hold_score, block_score }: FraudThresholds): ScoreBand {
  if (block_score !== null && score >= block_score) return "block"
  if (hold_score !== null && score >= hold_score) return "hold"
  return "below_hold"
}

/** The store's hold and block scores, shared by every score badge on a page. */
export function useFraudThresholds(): FraudThresholds | undefined {
  const query = useQuery({
    queryKey: ["uplift", "fraud", "settings"],
    queryFn: () => apiGet<{ settings: FraudThresholds }>("/admin/fraud/settings").then((r) => r.settings),
    staleTime: 60_000,
  })
  return query.data
}
