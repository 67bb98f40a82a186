import { StandingDecisionHints } from "../standing-hints"

describe("StandingDecisionHints", () => {
  const live = ["pol_a", "pol_b"]

  it("doubts a shopper it has not seen, and trusts one it saw with every decision standing", () => {
    const hints = new StandingDecisionHints()
    expect(hints.mayNeedDecision("cus_1", live, 0)).toBe(true)
    hints.rememberStanding("cus_1", live, 0)
    expect(hints.mayNeedDecision("cus_1", live, 1_000)).toBe(false)
    expect(hints.mayNeedDecision("cus_2", live, 1_000)).toBe(true)
  })

  it("doubts again when a policy goes live, when the hint is old, or when told to forget", () => {
    const hints = new StandingDecisionHints()
    hints.rememberStanding("cus_1", live, 0)
    expect(hints.mayNeedDecision("cus_1", [...live, "pol_c"], 1_000)).toBe(true)
    expect(hints.mayNeedDecision("cus_1", live, 11 * 60_000)).toBe(true)
    hints.forget()
    expect(hints.mayNeedDecision("cus_1", live, 1_000)).toBe(true)
  })

  it("keeps a bounded number of shoppers, dropping the oldest first", () => {
    const hints = new StandingDecisionHints()
    for (let k = 0; k <= 50_000; k++) hints.rememberStanding(`cus_${k}`, live, 0)
    expect(hints.mayNeedDecision("cus_0", live, 1)).toBe(true)
    expect(hints.mayNeedDecision("cus_50000", live, 1)).toBe(false)
  })
})
