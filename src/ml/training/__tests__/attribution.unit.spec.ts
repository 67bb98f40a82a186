import { attributedOutcome } from "../attribution"

const DAY = 86_400_000
const decided = Date.UTC(2026, 0, 1)

describe("attribution window censoring", () => {
  it("leaves a decision out while its window is open, even when the shopper already bought", () => {
    expect(attributedOutcome(decided, decided + DAY, decided + 2 * DAY, 7)).toBeNull()
    expect(attributedOutcome(decided, null, decided + 2 * DAY, 7)).toBeNull()
  })

  it("labels a closed window: a purchase inside it is 1, none (or one after it) is 0", () => {
    const closed = decided + 8 * DAY
    expect(attributedOutcome(decided, decided + DAY, closed, 7)).toBe(1)
    expect(attributedOutcome(decided, null, closed, 7)).toBe(0)
    expect(attributedOutcome(decided, decided + 7.5 * DAY, closed, 7)).toBe(0)
    expect(attributedOutcome(decided, decided - DAY, closed, 7)).toBe(0)
  })
})
