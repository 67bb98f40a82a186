import { configureOfferCodes, isOfferCode, parseOfferCode, tierPromotionCode } from "../offer-codes"
import { parseUpliftOptions } from "../../../lib/options"

describe("offer codes", () => {
  afterEach(() => configureOfferCodes({}))

  it("read as the shopper's own discount, with the percent in the middle", () => {
    expect(tierPromotionCode(10)).toBe("YOUR-10-OFF")
    expect(tierPromotionCode(15, "items")).toBe("YOUR-15-OFF-ITEMS")
    expect(parseOfferCode("YOUR-15-OFF-ITEMS")).toEqual({ percent: 15, target: "items" })
  })

  it("take the merchant's prefix and still recognise the codes of stores from before", () => {
    configureOfferCodes(parseUpliftOptions({ offerCodePrefix: "MY" }))
    expect(tierPromotionCode(10)).toBe("MY-10-OFF")
    expect(parseOfferCode("MY-10-OFF")).toEqual({ percent: 10, target: "order" })
    expect(parseOfferCode("UPLIFT-10")).toEqual({ percent: 10, target: "order" })
    expect(parseOfferCode("UPLIFT-ITEMS-5")).toEqual({ percent: 5, target: "items" })
    expect(isOfferCode("YOUR-10-OFF")).toBe(false)
  })

  it("are not confused with the merchant's own codes", () => {
    for (const code of ["SUMMER-10-OFF", "YOUR-TEN-OFF", "TENOFF", "UPLIFT-", "", null]) expect(isOfferCode(code)).toBe(false)
  })

  it("refuse a prefix that is not capital letters and digits, naming the option", () => {
    expect(() => parseUpliftOptions({ offerCodePrefix: "your-" })).toThrow(/offerCodePrefix/)
    expect(parseUpliftOptions({}).offerCodePrefix).toBe("YOUR")
  })
})
