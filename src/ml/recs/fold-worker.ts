import type { MessagePort } from "worker_threads"
import type { FoldWorkerInit } from "./fold-thread"
import { serveFoldTasks } from "./folds"
import { validateFold } from "./hybrid"

/** Entry of the fold worker thread (see fold-thread.ts): fold tasks first, then validations on request. */
export function serve(init: FoldWorkerInit, port: MessagePort): void {
  const reportError = (error: Error) => port.postMessage({ type: "error", message: error?.stack ?? String(error) })
  port.on("message", (message) => {
    if (message.type !== "validate") return
    validateFold(message.input).then((validation) => port.postMessage({ type: "validation", validation }), reportError)
  })
  serveFoldTasks(init, (k, result, transfer) => port.postMessage({ type: "result", k, result }, transfer)).then(
    () => port.postMessage({ type: "done" }),
    reportError
  )
}
