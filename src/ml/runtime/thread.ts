import path from "path"
import { Worker } from "worker_threads"

/** Called with whatever a task passes to its `notify` argument (progress lines, partial results). */
export type ThreadListener = (...args: any[]) => void

export interface RunInThreadOptions {
  onNotify?: ThreadListener
  /** Buffers moved (not copied) into the thread with the input; they are unusable here afterwards. */
  transfer?: ArrayBuffer[]
}

/** An error thrown in a thread keeps its message and its `code` (e.g. NotEnoughDataError's). */
export class ThreadTaskError extends Error {
  constructor(
    message: string,
    readonly code?: string
  ) {
    super(message)
  }
}

/*
 * One bootstrap for every thread of the plugin. From source (development, tests) the thread compiles
 * TypeScript with ts-node, like its parent does. A "task" runs `exports[fn](input, notify)` once and posts
 * its result, moving the ArrayBuffers of typed arrays found in it (top level or one level down) instead
 * of copying them; a "serve" thread hands `exports[fn](input, port)` the port and stays up until closed.
 */
const BOOTSTRAP = `
const { parentPort, workerData } = require("worker_threads")
const { entry, fn, input, mode } = workerData
if (entry.endsWith(".ts")) {
  require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs" } })
}
const target = require(entry)[fn]
const whole = (view) => ArrayBuffer.isView(view) && view.buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
const transferables = (value) => {
  const found = new Set()
  const visit = (v) => { if (whole(v)) found.add(v.buffer) }
  visit(value)
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) Object.values(value).forEach(visit)
  return [...found]
}
if (mode === "serve") {
  target(input, parentPort)
} else {
  Promise.resolve()
    .then(() => target(input, (...args) => parentPort.postMessage({ type: "notify", args })))
    .then((result) => parentPort.postMessage({ type: "result", result }, transferables(result)))
    .catch((error) => parentPort.postMessage({ type: "error", message: (error && error.message) || String(error), code: error && error.code }))
}
`

/** A task file next to the caller, compiled or not (`.ts` from source, `.js` once built). */
export function taskFile(directory: string, name: string): string {
  return path.join(directory, `${name}${path.extname(__filename)}`)
}

/**
 * Runs `exports[fn](input, notify)` of a task file in a worker thread and resolves to what it returns,
 * so that the calling process keeps serving meanwhile. The thread ends with the task.
 */
export function runInThread<Result>(file: string, fn: string, input: unknown, options: RunInThreadOptions = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry: file, fn, input, mode: "task" }, transferList: options.transfer })
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      fn()
      void worker.terminate()
    }
    worker.on("message", (message) => {
      if (message.type === "notify") options.onNotify?.(...message.args)
      if (message.type === "result") settle(() => resolve(message.result))
      if (message.type === "error") settle(() => reject(new ThreadTaskError(message.message, message.code)))
    })
    worker.on("error", (error) => settle(() => reject(error)))
    worker.on("exit", (code) => settle(() => reject(new Error(`${path.basename(file)} thread exited with code ${code}`))))
  })
}

/**
 * Starts a long-lived thread running `exports[fn](input, port)` of a task file: the function answers the
 * messages it is sent until the caller terminates the returned worker.
 */
export function startThread(file: string, fn: string, input: unknown, options: { transfer?: ArrayBuffer[] } = {}): Worker {
  return new Worker(BOOTSTRAP, { eval: true, workerData: { entry: file, fn, input, mode: "serve" }, transferList: options.transfer })
}
