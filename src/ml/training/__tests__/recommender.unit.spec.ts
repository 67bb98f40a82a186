/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { parseArtifact, serializeArtifact } from "../../artifact/artifact"
import { topN, train } from "../../recs"
import type { Interaction, ItemContent } from "../../recs"
import { decodeCustomerState, packedState, parseRecsModel } from "../../recs"
import { trainRecommenderModel, RecommenderReference } from "../recommender"
import { NotEnoughDataError } from "../types"

jest.setTimeout(60_000)

/** Customers of group g buy the items of group g, basket after basket; items 0 and 1 of a group go together. */
function purchases(): Interaction[] {
  const out: Interaction[] = []
  for (let g = 0; g < 3; g++) {
    for (let u = 0; u < 8; u++) {
      for (let b = 0; b < 5; b++) {
        const basket = `g${g}u${u}b${b}`
        const time = 1_700_000_000 + b * 7 * 86_400 + u * 60
        for (const i of [0, 1, 2 + ((u + b) % 4)]) out.push({ user: `g${g}u${u}`, item: `g${g}i${i}`, basket, time, quantity: 1, value: 5 })
      }
    }
  }
  return out
}

const items: ItemContent[] = Array.from({ length: 3 * 6 }, (_, k) => ({ item: `g${Math.floor(k / 6)}i${k % 6}`, category: `c${Math.floor(k / 6)}`, department: "d" }))

describe("trainRecommenderModel", () => {
  it("ships the model train() fits (its customers as states beside it), bought-together partners and regional sales in one verified artifact", async () => {
    const interactions = purchases()
    const lines: string[] = []
    const trained = await trainRecommenderModel({ interactions, items, regionPopular: { reg_1: ["g1i0"] } }, "recommender-v1", (_stage, _percent, line) => line && lines.push(line))
    expect(trained.selection).toMatchObject({ metric: "hr_at_10", higherIsBetter: true })
    expect(trained.artifact.metrics.validation_customers).toBe(24)
    expect(lines.some((line) => line.startsWith("validation HR@10"))).toBe(true)

    const parsed = parseArtifact<RecommenderReference>(serializeArtifact(trained.artifact), { kind: "recommender" })
    expect(parsed.trainedOn.to).toBe(new Date(Math.max(...interactions.map((x) => x.time)) * 1000).toISOString())
    expect(parsed.reference.regionPopular).toEqual({ reg_1: ["g1i0"] })
    expect(parsed.reference.partners["g0i0"]).toContain("g0i1")
    const served = parseRecsModel(parsed.reference.model)
    const baskets = new Set(interactions.map((x) => x.basket)).size
    const folds = Math.max(1, Math.min(4, Math.floor(baskets / 24) - 1))
    const direct = await train(interactions, items, { seed: 42, folds })
    // The customers travel beside the artifact (rows of the version), not inside its model.
    expect(served.users).toEqual([])
    expect(parsed.reference.customerStates).toEqual({ dim: direct.mf.dim, customers: 24 })
    const customers = trained.customers!
    const k = customers.ids.indexOf("g2u3")
    const state = decodeCustomerState(packedState(customers, k), parsed.reference.customerStates!.dim)
    expect(topN(served, { state }, 6)).toEqual(topN(direct, "g2u3", 6))
  })

  it("waits for data below five purchases instead of failing", async () => {
    const error = await trainRecommenderModel({ interactions: purchases().slice(0, 4), items, regionPopular: {} }, "recommender-v1").catch((e) => e)
    expect(error).toBeInstanceOf(NotEnoughDataError)
    expect(error.code).toBe("not_enough_data")
  })
})
