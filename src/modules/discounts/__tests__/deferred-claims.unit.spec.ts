import { claimStands, DeferredClaims } from "../deferred-claims"

const provisional = { policy_id: "pol_1", discount_percent: 10 }

describe("a deferred claim stands", () => {
  it("when it recorded the provisional offer, or recorded no offer where none was provisional", () => {
    expect(claimStands({ provisional }, { recorded: true, offer: { policy_id: "pol_1", discount_percent: "10" } })).toBe(true)
    expect(claimStands({}, { recorded: true })).toBe(true)
  })

  it("not when a racing request's decision stood, even with the same level (its offer is adopted by a recompute)", () => {
    expect(claimStands({ provisional }, { recorded: false, offer: { policy_id: "pol_1", discount_percent: 10 } })).toBe(false)
    expect(claimStands({}, { recorded: false })).toBe(false)
  })

  it("not when the budget or the per-customer limit refused the offer, or the level differs", () => {
    expect(claimStands({ provisional }, { recorded: true })).toBe(false)
    expect(claimStands({ provisional }, { recorded: true, offer: { policy_id: "pol_1", discount_percent: 5 } })).toBe(false)
    expect(claimStands({ provisional }, { recorded: true, offer: { policy_id: "pol_2", discount_percent: 10 } })).toBe(false)
  })
})

describe("DeferredClaims", () => {
  it("hands a cart's claim to its settling hook once", async () => {
    const claims = new DeferredClaims()
    const deferred = { claim: Promise.resolve({ recorded: true }), decidedMs: 1, phases: {} }
    claims.defer("cart_1", deferred)
    expect(claims.has("cart_1")).toBe(true)
    expect(claims.take("cart_1")).toBe(deferred)
    expect(claims.has("cart_1")).toBe(false)
    expect(claims.take("cart_1")).toBeUndefined()
  })
})
