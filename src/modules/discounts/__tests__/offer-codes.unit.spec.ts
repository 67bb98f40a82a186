import { OfferCodes } from "../offer-codes"
import { parseUpliftOptions } from "../../../lib/options"

describe("offer codes", () => {
  it("read as the shopper's own discount, with the percent in the middle", () => {
    const codes = new OfferCodes(parseUpliftOptions({}).offerCodePrefix)
    expect(codes.tierCode(10)).toBe("YOUR-10-OFF")
    expect(codes.tierCode(15, "items")).toBe("YOUR-15-OFF-ITEMS")
    expect(codes.parse("YOUR-15-OFF-ITEMS")).toEqual({ percent: 15, target: "items" })
  })

  it("take the merchant's prefix and still recognise the codes of stores from before", () => {
    const codes = new OfferCodes(parseUpliftOptions({ offerCodePrefix: "MY" }).offerCodePrefix)
    expect(codes.tierCode(10)).toBe("MY-10-OFF")
    expect(codes.parse("MY-10-OFF")).toEqual({ percent: 10, target: "order" })
    expect(codes.parse("UPLIFT-10")).toEqual({ percent: 10, target: "order" })
    expect(codes.parse("UPLIFT-ITEMS-5")).toEqual({ percent: 5, target: "items" })
    expect(codes.isOfferCode("YOUR-10-OFF")).toBe(false)
  })

  it("of one store do not change another's (each discounts service holds its own)", () => {
    const mine = new OfferCodes("MY")
    const theirs = new OfferCodes()
    expect(["MY-10-OFF", "YOUR-10-OFF"].filter(mine.isOfferCode)).toEqual(["MY-10-OFF"])
    expect(["MY-10-OFF", "YOUR-10-OFF"].filter(theirs.isOfferCode)).toEqual(["YOUR-10-OFF"])
  })

  it("are not confused with the merchant's own codes", () => {
    const codes = new OfferCodes()
    for (const code of ["SUMMER-10-OFF", "YOUR-TEN-OFF", "TENOFF", "UPLIFT-", "", null]) expect(codes.isOfferCode(code)).toBe(false)
  })

  it("refuse a prefix that is not capital letters and digits, naming the option", () => {
    expect(() => parseUpliftOptions({ offerCodePrefix: "your-" })).toThrow(/offerCodePrefix/)
    expect(parseUpliftOptions({}).offerCodePrefix).toBe("YOUR")
  })
})
