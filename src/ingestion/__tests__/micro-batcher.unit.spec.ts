import { MicroBatcher } from "../micro-batcher"

describe("MicroBatcher", () => {
  it("handles items submitted together in one call and settles each submitter after it", async () => {
    const calls: number[][] = []
    const batcher = new MicroBatcher<number>(async (items) => void calls.push(items), { maxSize: 100, lingerMs: 5 })
    await Promise.all([1, 2, 3].map((n) => batcher.submit(n)))
    await batcher.submit(4)
    expect(calls).toEqual([[1, 2, 3], [4]])
  })

  it("handles a full batch at once without waiting for the linger", async () => {
    const calls: number[][] = []
    const batcher = new MicroBatcher<number>(async (items) => void calls.push(items), { maxSize: 2, lingerMs: 60_000 })
    await Promise.all([1, 2].map((n) => batcher.submit(n)))
    expect(calls).toEqual([[1, 2]])
  })

  it("rejects every submitter of a failed batch, and later batches run again", async () => {
    let fail = true
    const batcher = new MicroBatcher<number>(
      async () => {
        if (fail) throw new Error("database unavailable")
      },
      { maxSize: 100, lingerMs: 1 }
    )
    const results = await Promise.allSettled([batcher.submit(1), batcher.submit(2)])
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"])
    fail = false
    await expect(batcher.submit(3)).resolves.toBeUndefined()
  })
})
