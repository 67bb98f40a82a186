import { chooseItemTargets } from "../item-offers/choose-item-targets"

describe("item offer targets", () => {
  const policy = { objective: "profit" as const, min_margin_percent: 10 }
  it("keeps items whose expected incremental profit is positive and whose margin stays above the floor", () => {
    // P(buy) 0.1 -> 0.2 at 10%: 0.2 x (m - 10) > 0.1 x m  <=>  m > 20.
    const chosen = chooseItemTargets(policy, 10, [0.1, 0.2], [
      { product_id: "rich", value: 20, margin_percent: 50 },
      { product_id: "thin", value: 30, margin_percent: 15 },
      { product_id: "break-even", value: 30, margin_percent: 20 },
      { product_id: "free", value: 0, margin_percent: 80 },
    ])
    expect(chosen.product_ids).toEqual(["rich"])
    expect(chosen.expected.rich).toBeCloseTo(0.2 * 20 * 0.4 - 0.1 * 20 * 0.5, 6)
  })
  it("targets nothing at level 0 or when the discount does not raise the purchase rate enough", () => {
    expect(chooseItemTargets(policy, 0, [0.1, 0.1], [{ product_id: "a", value: 10, margin_percent: 50 }]).product_ids).toEqual([])
    expect(chooseItemTargets(policy, 10, [0.1, 0.11], [{ product_id: "a", value: 10, margin_percent: 50 }]).product_ids).toEqual([])
  })
})
