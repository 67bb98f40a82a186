import { ReadAheadHints } from "../read-ahead-hints"

describe("ReadAheadHints", () => {
  const live = ["pol_a", "pol_b"]

  it("reads ahead for a decision for a shopper it has not seen, for nothing once their decisions stand", () => {
    const hints = new ReadAheadHints()
    expect(hints.readAhead("cus_1", live, 0)).toBe("decision")
    hints.rememberStanding("cus_1", live, false, 0)
    expect(hints.readAhead("cus_1", live, 1_000)).toBe("none")
    expect(hints.readAhead("cus_2", live, 1_000)).toBe("decision")
  })

  it("reads the basket ahead for a shopper who held an order offer", () => {
    const hints = new ReadAheadHints()
    hints.rememberStanding("cus_1", live, true, 0)
    expect(hints.readAhead("cus_1", live, 1_000)).toBe("basket")
    hints.rememberStanding("cus_1", live, false, 2_000)
    expect(hints.readAhead("cus_1", live, 3_000)).toBe("none")
  })

  it("doubts again when a policy goes live, when the hint is old, or when told to forget", () => {
    const hints = new ReadAheadHints()
    hints.rememberStanding("cus_1", live, false, 0)
    expect(hints.readAhead("cus_1", [...live, "pol_c"], 1_000)).toBe("decision")
    expect(hints.readAhead("cus_1", live, 11 * 60_000)).toBe("decision")
    hints.forget()
    expect(hints.readAhead("cus_1", live, 1_000)).toBe("decision")
  })

  it("keeps a bounded number of shoppers, dropping the oldest first", () => {
    const hints = new ReadAheadHints()
    for (let k = 0; k <= 50_000; k++) hints.rememberStanding(`cus_${k}`, live, false, 0)
    expect(hints.readAhead("cus_0", live, 1)).toBe("decision")
    expect(hints.readAhead("cus_50000", live, 1)).toBe("none")
  })
})
