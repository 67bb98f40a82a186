import path from "path"
import { Worker } from "worker_threads"
import type { RecsTrainingInput } from "./train-task"

/*
 * Training runs in a worker thread so that the process keeps serving. From source (development, tests)
 * the thread compiles TypeScript with ts-node, like the parent does.
 */
const BOOTSTRAP = `
const { parentPort, workerData } = require("worker_threads")
if (workerData.entry.endsWith(".ts")) {
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } })
}
const { runRecsTraining } = require(workerData.entry)
runRecsTraining(workerData.input)
  .then((artifact) => parentPort.postMessage({ type: "result", artifact }))
  .catch((error) => parentPort.postMessage({ type: "error", message: (error && error.message) || String(error) }))
`

export function trainInThread(input: RecsTrainingInput): Promise<string> {
  const entry = path.join(__dirname, `train-task${path.extname(__filename)}`)
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, input } })
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      fn()
      void worker.terminate()
    }
    worker.on("message", (message) => {
      if (message.type === "result") settle(() => resolve(message.artifact))
      if (message.type === "error") settle(() => reject(new Error(message.message)))
    })
    worker.on("error", (error) => settle(() => reject(error)))
    worker.on("exit", (code) => settle(() => reject(new Error(`recommendations training thread exited with code ${code}`))))
  })
}
