import { startThread, taskFile } from "../runtime/thread"
import type { ResolvedOptions } from "./options"
import type { Interaction, ItemContent } from "./types"
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

/** FoldWorkerInit as it crosses to the thread: the interactions as columns. */
export type FoldWorkerMessage = Omit<FoldWorkerInit, "interactions"> & { interactions: undefined; purchases: PurchaseColumns }

/** A worker thread that claims fold tasks, then (until closed) runs validations. */
export interface FoldWorker {
  /** Resolves when the worker has run out of fold tasks. */
  folds: Promise<void>
  /** Runs validateFold (hybrid.ts) in the worker. */
  validate(input: unknown): Promise<any>
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
    if (message.type === "validation") settle("validation", message.validation)
    if (message.type === "error") fail(new Error(`recs fold thread: ${message.message}`))
  })
  worker.on("error", fail)
  worker.on("exit", (code) => fail(new Error(`recs fold thread exited with code ${code}`)))
  return {
    folds,
    validate(input) {
      const result = wait("validation")
      worker.postMessage({ type: "validate", input })
      return result
    },
    close() {
      failure ??= new Error("recs fold thread closed")
      void worker.terminate()
    },
  }
}
