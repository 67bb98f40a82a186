import { boughtTogether } from "../../ml/recs/partners"

describe("bought together", () => {
  it("pairs items sharing baskets at least twice", () => {
    const lines = [
      ["b1", "milk"], ["b1", "bread"], ["b2", "milk"], ["b2", "bread"], ["b3", "milk"], ["b3", "eggs"], ["b4", "eggs"],
    ].map(([basket, item], k) => ({ user: "u", item, basket, time: k }))
    const partners = boughtTogether(lines)
    expect(partners.milk).toEqual(["bread"])
    expect(partners.bread).toEqual(["milk"])
    expect(partners.eggs).toBeUndefined()
  })
})
