import { startThread, taskFile } from "../runtime/thread"
import type { ResolvedOptions } from "./options"
import type { Interaction, ItemContent, Ranker, TrainOptions } from "./types"
import type { BaseModel } from "./base"
import type { RankerData } from "./ranker"
import { columnBuffers, PurchaseColumnsBuilder } from "./columns"
import type { PurchaseColumns } from "./columns"

/** What the fold worker needs: the training input and the task counter it shares with the caller. */
export interface FoldWorkerInit {
  interactions: Interaction[]
  items: ItemContent[]
  opts: ResolvedOptions
  keepFirstBase: boolean
  /** Shared with the caller (see taskBoard in folds.ts): the next unclaimed task and the last task. */
  tasks: Int32Array
}

/** The held-out baskets of fold 1 (a sample in large stores), its base model and the re-ranker rows of the folds before it. */
export interface ValidationInput {
  base: BaseModel
  heldOut: Map<string, Set<string>>
  rows: RankerData
  options: TrainOptions
}

/** FoldWorkerInit as it crosses to the thread: the interactions as columns. */
export type FoldWorkerMessage = Omit<FoldWorkerInit, "interactions"> & { interactions: undefined; purchases: PurchaseColumns }

/** A worker thread that claims fold tasks, then (until closed) runs validations. */
export interface FoldWorker {
  /** Resolves when the worker has run out of fold tasks. */
  folds: Promise<void>
  /**
   * Fits the validation re-ranker in the worker (fitValidationRanker, hybrid.ts), which then scores the
   * chunks of held-out customers it claims from `input.chunks` (validationHits).
   */
  validate(input: ValidationInput & { chunks: Int32Array }): { ranker: Promise<Ranker>; hits: Promise<number> }
  close(): void
}

/** Starts a worker thread claiming fold tasks; `onResult` gets each one it finishes. */
export function startFoldWorker(init: FoldWorkerInit, onResult: (k: number, result: any) => void): FoldWorker {
  // The interactions cross as columns with moved arrays: a structured clone of the objects would copy every
  // customer, product and basket string once per purchase.
  const purchases = PurchaseColumnsBuilder.of(init.interactions)
  const message: FoldWorkerMessage = { ...init, interactions: undefined, purchases, opts: { ...init.opts, progress: undefined } }
  const worker = startThread(taskFile(__dirname, "fold-worker"), "serve", message, { transfer: columnBuffers(purchases) })
  const waiting = new Map<string, { resolve: (value: any) => void; reject: (error: Error) => void }>()
  let failure: Error | null = null
  const fail = (error: Error) => {
    failure ??= error
    for (const w of waiting.values()) w.reject(failure)
    waiting.clear()
  }
  const wait = (key: string) =>
    new Promise<any>((resolve, reject) => (failure ? reject(failure) : waiting.set(key, { resolve, reject })))
  const settle = (key: string, value: unknown) => {
    waiting.get(key)?.resolve(value)
    waiting.delete(key)
  }
  const folds = wait("folds")
  folds.catch(() => undefined) // rejections reach whoever awaits it; none is unhandled meanwhile
  worker.on("message", (message) => {
    if (message.type === "result") onResult(message.k, message.result)
    if (message.type === "done") settle("folds", undefined)
    if (message.type === "validation-ranker") settle("validation-ranker", message.ranker)
    if (message.type === "validation-hits") settle("validation-hits", message.hits)
    if (message.type === "error") fail(new Error(`recs fold thread: ${message.message}`))
  })
  worker.on("error", fail)
  worker.on("exit", (code) => fail(new Error(`recs fold thread exited with code ${code}`)))
  return {
    folds,
    validate(input) {
      const ranker = wait("validation-ranker")
      const hits = wait("validation-hits")
      hits.catch(() => undefined) // awaited after the ranker; a failure meanwhile is not unhandled
      worker.postMessage({ type: "validate", input })
      return { ranker, hits }
    },
    close() {
      failure ??= new Error("recs fold thread closed")
      void worker.terminate()
    },
  }
}
