import { fittingOfferPercent, promotionDiscountBound } from "../offer-limits"

const policy = { ladder: [5, 10, 15], stacking: "combine" as const, max_total_discount_percent: 20, min_margin_percent: 10 }
const alone = { hasOtherCodes: false, otherPercent: 0, marginPercent: 50 }

describe("fittingOfferPercent", () => {
  it("gives the whole offer when nothing else is on the cart", () => {
    expect(fittingOfferPercent(15, policy, alone)).toBe(15)
  })

  it("shrinks a combined offer to the highest ladder level under the total cap", () => {
    expect(fittingOfferPercent(15, policy, { ...alone, hasOtherCodes: true, otherPercent: 10 })).toBe(10)
    expect(fittingOfferPercent(15, policy, { ...alone, hasOtherCodes: true, otherPercent: 12 })).toBe(5)
    expect(fittingOfferPercent(15, policy, { ...alone, hasOtherCodes: true, otherPercent: 18 })).toBe(0)
  })

  it("steps aside for any other code when exclusive, and has no cap when combine has none", () => {
    expect(fittingOfferPercent(15, { ...policy, stacking: "exclusive" }, { ...alone, hasOtherCodes: true })).toBe(0)
    expect(fittingOfferPercent(15, { ...policy, max_total_discount_percent: null }, { ...alone, hasOtherCodes: true, otherPercent: 30 })).toBe(10)
  })

  it("keeps the margin after all discounts above the floor", () => {
    expect(fittingOfferPercent(15, policy, { ...alone, marginPercent: 22 })).toBe(10)
    expect(fittingOfferPercent(15, policy, { ...alone, marginPercent: 14 })).toBe(0)
    expect(fittingOfferPercent(15, policy, { ...alone, marginPercent: null })).toBe(15)
  })

  it("never goes above the offer, even when the ladder has bigger levels", () => {
    expect(fittingOfferPercent(10, policy, alone)).toBe(10)
  })
})

describe("promotionDiscountBound", () => {
  const basket = { itemSubtotal: 200, itemQuantity: 4, shippingSubtotal: 10 }
  it("bounds percentage, fixed-across and fixed-per-unit promotions on items and shipping", () => {
    expect(promotionDiscountBound({ type: "percentage", target_type: "order", value: 10 }, basket)).toBe(20)
    expect(promotionDiscountBound({ type: "fixed", target_type: "order", allocation: "across", value: 5 }, basket)).toBe(5)
    expect(promotionDiscountBound({ type: "fixed", target_type: "items", allocation: "each", value: 5 }, basket)).toBe(20)
    expect(promotionDiscountBound({ type: "percentage", target_type: "shipping_methods", value: 100 }, basket)).toBe(10)
    expect(promotionDiscountBound({ type: "fixed", target_type: "order", allocation: "across", value: 500 }, basket)).toBe(200)
    expect(promotionDiscountBound(null, basket)).toBe(0)
  })
})
