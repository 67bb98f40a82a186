/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { batchTopItems, TopItems } from "../batch-scoring"
import type { RecsModel } from "../../recs"

jest.setTimeout(60_000)

/** Just what batch scoring reads of a model: ids and the user and item factors. */
function factorModel(users: number, items: number, dim: number): RecsModel {
  const value = (k: number) => Math.sin(k * 12.9898) * 0.5
  return {
    users: Array.from({ length: users }, (_, u) => `cus_${u}`),
    items: Array.from({ length: items }, (_, i) => `prod_${i}`),
    mf: {
      dim,
      userFactors: Float32Array.from({ length: users * dim }, (_, k) => value(k + 1)),
      itemFactors: Float32Array.from({ length: items * dim }, (_, k) => value(k + 1_000)),
      itemBias: new Float32Array(items),
    },
  } as unknown as RecsModel
}

function bruteTop(model: RecsModel, u: number, k: number): string[] {
  const { dim, userFactors, itemFactors } = model.mf
  const scores = model.items.map((_, i) => {
    let s = 0
    for (let f = 0; f < dim; f++) s += userFactors[u * dim + f] * itemFactors[i * dim + f]
    return { i, s }
  })
  return scores.sort((a, b) => b.s - a.s).slice(0, k).map(({ i }) => model.items[i])
}

describe("batchTopItems", () => {
  it("hands every customer's top items to the caller one batch at a time, never all at once", async () => {
    const model = factorModel(7, 12, 4)
    const batches: TopItems[][] = []
    const { customers, provider } = await batchTopItems(model, 3, ["cpu"], async (batch) => void batches.push(batch), 3)
    expect(provider).toBe("cpu")
    expect(customers).toBe(7)
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1])
    const all = batches.flat()
    expect(all.map((result) => result.user)).toEqual(model.users)
    all.forEach((result, u) => expect(result.items.map((entry) => entry.item)).toEqual(bruteTop(model, u, 3)))
  })

  it("waits for the caller's write of a batch before scoring the next", async () => {
    const model = factorModel(5, 6, 2)
    const events: string[] = []
    await batchTopItems(
      model,
      2,
      ["cpu"],
      async (batch) => {
        events.push(`start ${batch[0].user}`)
        await new Promise((resolve) => setTimeout(resolve, 20))
        events.push(`end ${batch[0].user}`)
      },
      2
    )
    expect(events).toEqual(["start cus_0", "end cus_0", "start cus_2", "end cus_2", "start cus_4", "end cus_4"])
  })
})
