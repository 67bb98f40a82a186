import type { MessagePort } from "worker_threads"
import type { FoldWorkerInit, FoldWorkerMessage } from "./fold-thread"
import { interactionsOf } from "./columns"
import { serveFoldTasks } from "./folds"
import { fitValidationRanker, validationHits } from "./hybrid"

/** Entry of the fold worker thread (see fold-thread.ts): fold tasks first, then validations on request. */
export function serve(message: FoldWorkerMessage, port: MessagePort): void {
  const { purchases, ...rest } = message
  const init: FoldWorkerInit = { ...rest, interactions: interactionsOf(purchases) }
  const reportError = (error: Error) => port.postMessage({ type: "error", message: error?.stack ?? String(error) })
  port.on("message", (message) => {
    if (message.type !== "validate") return
    const { chunks, ...input } = message.input
    Promise.resolve()
      .then(() => {
        const ranker = fitValidationRanker(input)
        port.postMessage({ type: "validation-ranker", ranker })
        return validationHits(input, ranker, chunks)
      })
      .then((hits) => port.postMessage({ type: "validation-hits", hits }), reportError)
  })
  serveFoldTasks(init, (k, result, transfer) => port.postMessage({ type: "result", k, result }, transfer)).then(
    () => port.postMessage({ type: "done" }),
    reportError
  )
}
