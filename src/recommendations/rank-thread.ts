import type { Worker } from "worker_threads"
import { startThread, taskFile } from "../ml/runtime/thread"
import type { RecommenderReference } from "../ml/training/recommender"
import type { CustomerEvent } from "../modules/uplift/history"
import type { CustomerRanking } from "./rank-customer"

export interface RankRequest {
  /** `state`: the customer's stored state of this model, when it keeps its customers as rows. */
  customers?: { id: string; stamp: string; events: CustomerEvent[]; state?: Uint8Array | null }[]
  /** Known products whose similar products to rank. */
  similarOf?: string[]
}

export interface RankResult {
  type: "result"
  ranked: RankedCustomer[]
  similar: [string, string[]][]
}

/** A ranking as it crosses the thread boundary (maps as entry lists). */
export interface RankedCustomer {
  id: string
  stamp: string
  coldStart: boolean
  personal: string[]
  owned: [string, number][]
}

/**
 * Precomputing rankings scores every customer with the model (tens of ms each): a thread does it, so that
 * the process keeps answering requests meanwhile.
 */
export class RankingThread {
  private worker: Worker
  private pending: { resolve: (result: RankResult) => void; reject: (error: Error) => void } | null = null

  constructor(reference: RecommenderReference, dataTo: Date | null) {
    this.worker = startThread(taskFile(__dirname, "rank-task"), "serveRankings", { reference, dataTo: dataTo?.toISOString() ?? null })
    this.worker.on("message", (message) => {
      const pending = this.pending
      this.pending = null
      if (message.type === "result") pending?.resolve(message)
      else pending?.reject(new Error(message.message))
    })
    this.worker.on("error", (error) => this.fail(error))
    this.worker.on("exit", (code) => this.fail(new Error(`recommendations ranking thread exited with code ${code}`)))
  }

  /** Ranks one batch of customers. */
  async rank(customers: NonNullable<RankRequest["customers"]>): Promise<RankedCustomer[]> {
    return (await this.send({ customers })).ranked
  }

  /** Similar products of one batch of known products. */
  async similar(items: string[]): Promise<[string, string[]][]> {
    return (await this.send({ similarOf: items })).similar
  }

  close(): void {
    void this.worker.terminate()
  }

  /** One request at a time. */
  private send(request: RankRequest): Promise<RankResult> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.worker.postMessage(request)
    })
  }

  private fail(error: Error): void {
    this.pending?.reject(error)
    this.pending = null
  }
}

export function fromThread(ranked: RankedCustomer): CustomerRanking {
  return { stamp: ranked.stamp, coldStart: ranked.coldStart, personal: ranked.personal, owned: { counts: new Map(ranked.owned) }, reasons: new Map() }
}
