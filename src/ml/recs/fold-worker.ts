import type { MessagePort } from "worker_threads"
import type { FoldWorkerInit, FoldWorkerMessage } from "./fold-thread"
import { interactionsOf } from "./columns"
import { serveFoldTasks } from "./folds"
import { validateFold } from "./hybrid"

/** Entry of the fold worker thread (see fold-thread.ts): fold tasks first, then validations on request. */
export function serve(message: FoldWorkerMessage, port: MessagePort): void {
  const { purchases, ...rest } = message
  const init: FoldWorkerInit = { ...rest, interactions: interactionsOf(purchases) }
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
