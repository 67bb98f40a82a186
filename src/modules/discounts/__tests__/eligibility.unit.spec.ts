import { basketEconomics, fairnessAllows, matchRound } from "../eligibility"

const now = new Date("2026-06-01T00:00:00Z")

describe("eligibility", () => {
  it("matches the most specific round", () => {
    const all = { rounds: ["first_order", "repeat", "win_back"] as any, win_back_after_days: 60 }
    expect(matchRound(all, { order_count: 0, last_order_at: null }, now)).toBe("first_order")
    expect(matchRound(all, { order_count: 3, last_order_at: "2026-05-20T00:00:00Z" }, now)).toBe("repeat")
    expect(matchRound(all, { order_count: 3, last_order_at: "2026-03-01T00:00:00Z" }, now)).toBe("win_back")
    expect(matchRound({ rounds: ["first_order"] }, { order_count: 1, last_order_at: null }, now)).toBeNull()
    expect(matchRound({ rounds: ["abandoned_cart"] }, { order_count: 1, last_order_at: null }, now)).toBeNull()
    expect(matchRound({ rounds: ["abandoned_cart"] }, { order_count: 1, last_order_at: null }, now, "abandoned_cart")).toBe("abandoned_cart")
  })

  it("computes basket margin from variant cost, else the default margin", () => {
    // 2 x 50 at cost 30 -> margin 40 of 100; 1 x 100 at default 20% -> 20; total 60 of 200 = 30%
    expect(basketEconomics([{ unit_price: 50, quantity: 2, cost: 30 }, { unit_price: 100, quantity: 1 }], 20)).toEqual({ value: 200, marginPercent: 30 })
  })

  it("refuses offers to a group that is ahead by more than the allowed gap", () => {
    expect(fairnessAllows({ us: 0.5, ca: 0.2 }, "us", 0.2)).toBe(false)
    expect(fairnessAllows({ us: 0.5, ca: 0.2 }, "ca", 0.2)).toBe(true)
    expect(fairnessAllows({ us: 0.3, ca: 0.2 }, "us", 0.2)).toBe(true)
  })
})
