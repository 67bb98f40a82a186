import path from "path"
import { once } from "events"
import { runInThread, startThread, ThreadTaskError } from "../thread"

jest.setTimeout(60_000)

const TASK = path.join(__dirname, "fixtures", "thread-task.ts")

describe("runInThread", () => {
  it("runs a task file's function in a thread, passes its notifications, moves the input buffer and returns typed arrays", async () => {
    const bytes = new Uint8Array([1, 2, 3, 250])
    const notes: unknown[] = []
    const result = await runInThread<{ sum: number; doubled: Uint8Array }>(TASK, "sumBytes", { bytes }, {
      transfer: [bytes.buffer as ArrayBuffer],
      onNotify: (stage, percent) => notes.push([stage, percent]),
    })
    expect(result.sum).toBe(256)
    expect([...result.doubled]).toEqual([2, 4, 6, 244])
    expect(notes).toEqual([["start", 0], ["done", 100]])
    // Moved, not copied: the caller's buffer is detached.
    expect(bytes.byteLength).toBe(0)
  })

  it("rejects with the task's message and code", async () => {
    const error = await runInThread(TASK, "fail", { code: "not_enough_data" }).catch((e) => e)
    expect(error).toBeInstanceOf(ThreadTaskError)
    expect(error).toMatchObject({ message: "failed with not_enough_data", code: "not_enough_data" })
  })

  it("rejects when the thread exits without an answer", async () => {
    await expect(runInThread(TASK, "exit", { code: 3 })).rejects.toThrow("thread-task.ts thread exited with code 3")
  })
})

describe("startThread", () => {
  it("keeps a thread answering messages until it is terminated", async () => {
    const worker = startThread(TASK, "serveUpper", { prefix: "> " })
    try {
      for (const text of ["one", "two"]) {
        worker.postMessage(text)
        const [answer] = await once(worker, "message")
        expect(answer).toBe(`> ${text.toUpperCase()}`)
      }
    } finally {
      await worker.terminate()
    }
  })
})
