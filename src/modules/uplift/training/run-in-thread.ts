import path from "path"
import { Worker } from "worker_threads"
import type { TrainingTask, TrainingTaskResult } from "./training-task"

export type ProgressListener = (stage: string, percent: number, line?: string) => void

/*
 * Training runs in a worker thread so the process keeps serving requests and other jobs. From source
 * (development, tests) the thread compiles TypeScript with ts-node, like the parent does.
 */
const BOOTSTRAP = `
const { parentPort, workerData } = require("worker_threads")
if (workerData.entry.endsWith(".ts")) {
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } })
}
const { runTrainingTask } = require(workerData.entry)
runTrainingTask(workerData.task, (stage, percent, line) => parentPort.postMessage({ type: "progress", stage, percent, line }))
  .then((result) => parentPort.postMessage({ type: "result", result }))
  .catch((error) => parentPort.postMessage({ type: "error", message: (error && error.message) || String(error), code: error && error.code }))
`

export function runTrainingInThread(task: TrainingTask, onProgress: ProgressListener): Promise<TrainingTaskResult> {
  const entry = path.join(__dirname, `training-task${path.extname(__filename)}`)
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry, task } })
    let settled = false
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true
        fn()
        void worker.terminate()
      }
    }
    worker.on("message", (message) => {
      if (message.type === "progress") onProgress(message.stage, message.percent, message.line)
      if (message.type === "result") settle(() => resolve(message.result))
      if (message.type === "error") settle(() => reject(Object.assign(new Error(message.message), { code: message.code })))
    })
    worker.on("error", (error) => settle(() => reject(error)))
    worker.on("exit", (code) => settle(() => reject(new Error(`training thread exited with code ${code}`))))
  })
}
