import { BigNumber } from "@medusajs/framework/utils"
import { toNumber } from "../numbers"

describe("toNumber (money and quantities as Medusa hands them over)", () => {
  it("reads numbers, numeric strings, Medusa's BigNumber, raw values and bignumber.js instances", () => {
    expect([toNumber(5), toNumber("5.5"), toNumber(new BigNumber(7.25)), toNumber({ numeric: 7 }), toNumber({ value: "8" }), toNumber(new BigNumber("12.5").bigNumber)]).toEqual([
      5, 5.5, 7.25, 7, 8, 12.5,
    ])
  })

  it("reads a missing or malformed amount as 0, so one bad line never turns a total into NaN", () => {
    expect([toNumber(null), toNumber(undefined), toNumber("x"), toNumber(""), toNumber(NaN), toNumber(Infinity), toNumber("Infinity"), toNumber({}), toNumber({ numeric: "x" })]).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0,
    ])
  })

  it("sums a cart's lines the way ingestion and the fraud facts do", () => {
    const items = [{ quantity: { value: "2" }, unit_price: new BigNumber(20) }, { quantity: 1, unit_price: "30" }, { quantity: undefined, unit_price: 99 }]
    expect(items.reduce((sum, item) => sum + toNumber(item.unit_price) * toNumber(item.quantity), 0)).toBe(70)
  })
})
