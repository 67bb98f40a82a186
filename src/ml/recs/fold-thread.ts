import path from "path"
import { Worker } from "worker_threads"
import type { ResolvedOptions } from "./options"
import type { Interaction, ItemContent } from "./types"

/** What the fold worker needs: the training input and the task counter it shares with the caller. */
export interface FoldWorkerInit {
  interactions: Interaction[]
  items: ItemContent[]
  opts: ResolvedOptions
  count: number
  keepFirstBase: boolean
  /** Int32Array on a SharedArrayBuffer: the next unclaimed task. */
  next: Int32Array
}

/*
 * The worker runs serveFoldTasks of folds.ts. From source (development, tests) it compiles TypeScript
 * with ts-node, like its parent does.
 */
const BOOTSTRAP = `
const { parentPort, workerData } = require("worker_threads")
if (workerData.entry.endsWith(".ts")) {
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } })
}
const { serveFoldTasks } = require(workerData.entry)
serveFoldTasks(workerData.init, (k, result, transfer) => parentPort.postMessage({ type: "result", k, result }, transfer))
  .then(() => parentPort.postMessage({ type: "done" }))
  .catch((error) => parentPort.postMessage({ type: "error", message: (error && error.stack) || String(error) }))
`

/** Starts a worker thread claiming fold tasks; `onResult` gets each one it finishes. Resolves when it runs out. */
export function startFoldWorker(init: FoldWorkerInit, onResult: (k: number, result: any) => void): Promise<void> {
  const entry = path.join(__dirname, `folds${path.extname(__filename)}`)
  const workerData = { entry, init: { ...init, opts: { ...init.opts, progress: undefined } } }
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData })
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      fn()
      void worker.terminate()
    }
    worker.on("message", (message) => {
      if (message.type === "result") onResult(message.k, message.result)
      if (message.type === "done") settle(resolve)
      if (message.type === "error") settle(() => reject(new Error(`recs fold thread: ${message.message}`)))
    })
    worker.on("error", (error) => settle(() => reject(error)))
    worker.on("exit", (code) => settle(() => reject(new Error(`recs fold thread exited with code ${code}`))))
  })
}
