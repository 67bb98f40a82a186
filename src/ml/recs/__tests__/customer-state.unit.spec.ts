/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { createRng } from "../random"
import { decodeCustomerState, packedState, parseRecsModel, scoreItems, serializeRecsModel, splitCustomers, topN, train } from "../index"
import { Interaction, ItemContent, RecsModel } from "../types"

/** Two taste groups, each customer with several baskets: enough for a trained model with histories. */
function purchases(): Interaction[] {
  const rng = createRng(11)
  const out: Interaction[] = []
  for (let u = 0; u < 40; u++) {
    const group = u % 2
    for (let b = 0; b < 5; b++) {
      for (let k = 0; k < 3; k++) out.push({ user: `c${u}`, item: `p${group}_${Math.floor(rng() * 10)}`, time: 2_000_000 + b * 604_800 + u, basket: `c${u}-${b}` })
    }
  }
  return out
}

const items: ItemContent[] = Array.from({ length: 20 }, (_, k) => ({ item: `p${k % 2}_${Math.floor(k / 2)}`, category: `cat${k % 2}`, department: "D" }))

describe("customer states split out of a recommender", () => {
  let model: RecsModel
  beforeAll(async () => {
    model = await train(purchases(), items, { seed: 5, dim: 8, epochs: 20, folds: 1, popularCandidates: 6, mfCandidates: 6 })
  })

  it("rank every trained customer exactly as the whole model does, from the model without customers plus their state", () => {
    const { model: shared, customers } = splitCustomers(model)
    expect(customers.ids).toEqual(model.users)
    const served = parseRecsModel(serializeRecsModel(shared))
    customers.ids.forEach((id, k) => {
      const state = decodeCustomerState(Buffer.from(packedState(customers, k)), model.mf.dim)
      expect(topN(served, { state }, 10)).toEqual(topN(model, id, 10))
      expect(Array.from(scoreItems(served, { state }, ["p0_1", "p1_1"]))).toEqual(Array.from(scoreItems(model, id, ["p0_1", "p1_1"])))
    })
  })

  it("leave no customer in the shared model, so its size does not grow with the customers", () => {
    const { model: shared } = splitCustomers(model)
    expect(shared.users).toEqual([])
    expect(shared.mf.userFactors.length).toBe(0)
    expect(shared.history.item.length).toBe(0)
    expect(serializeRecsModel(shared).length).toBeLessThan(serializeRecsModel(model).length - 40 * 8 * 4)
    // Without their state a trained customer is unknown to the shared model: the cold-start ranking.
    expect(topN(shared, "c1", 10)).not.toEqual(topN(model, "c1", 10))
  })

  it("reject bytes that do not fit the model's dimension", () => {
    const { customers } = splitCustomers(model)
    expect(() => decodeCustomerState(packedState(customers, 0), model.mf.dim + 1)).toThrow(/does not fit/)
  })
})
