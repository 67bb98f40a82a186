import type { MessagePort } from "worker_threads"
import type { RecommenderReference } from "../ml/training/recommender"
import { recsArtifactOf } from "./artifact"
import { rankCustomer, RankingModel, similarRanking } from "./rank-customer"
import type { RankedCustomer, RankRequest, RankResult } from "./rank-thread"

/** Runs in the ranking thread: parses the model once, then ranks each batch of customers and products it is sent. */
export function serveRankings(input: { reference: RecommenderReference; dataTo: string | null }, port: MessagePort): void {
  const model: RankingModel = { artifact: recsArtifactOf(input.reference), dataTo: input.dataTo ? new Date(input.dataTo) : null }
  port.on("message", (request: RankRequest) => {
    try {
      const ranked: RankedCustomer[] = (request.customers ?? []).map(({ id, stamp, events, state }) => {
        const ranking = rankCustomer(model, id, stamp, events, state)
        return { id, stamp, coldStart: ranking.coldStart, personal: ranking.personal, owned: [...ranking.owned.counts] }
      })
      const similar = (request.similarOf ?? []).map((item) => [item, similarRanking(model, item)] as [string, string[]])
      port.postMessage({ type: "result", ranked, similar } satisfies RankResult)
    } catch (error) {
      port.postMessage({ type: "error", message: (error as Error).message })
    }
  })
}
