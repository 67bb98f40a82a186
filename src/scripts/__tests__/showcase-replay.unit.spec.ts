import { pairReplay, REPLAY_WEEKS, ReplayCustomer } from "../showcase-replay"

const DAY_MS = 86_400_000
const ARMS = ["No E-Mail", "Womens E-Mail", "Mens E-Mail"]

describe("showcase replay pairing", () => {
  const now = Date.UTC(2026, 11, 2)
  // Hillstrom-like rows: arms in rotation (randomized thirds), history rising with the index.
  const rows = Array.from({ length: 30_000 }, (_, i) => ({ arm: ARMS[i % 3], history: i, visit: (i % 7 === 0 ? 1 : 0) as 0 | 1 }))
  const customers: ReplayCustomer[] = Array.from({ length: 2_000 }, (_, i) => ({ customerId: `cus_${i}`, spend: (i * 7919) % 2_000, productId: "prod_1" }))
  const pairs = pairReplay(customers, rows, now)

  it("gives every customer one row, the arms staying close to thirds", () => {
    expect(new Set(pairs.map((pair) => pair.customer.customerId)).size).toBe(customers.length)
    for (const arm of ARMS) {
      const share = pairs.filter((pair) => pair.row.arm === arm).length / pairs.length
      expect(Math.abs(share - 1 / 3)).toBeLessThan(0.04)
    }
  })

  it("pairs by rank of spend: the bigger spender takes the larger history", () => {
    const bySpend = [...pairs].sort((a, b) => a.customer.spend - b.customer.spend)
    for (let i = 1; i < bySpend.length; i++) expect(bySpend[i].row.history).toBeGreaterThanOrEqual(bySpend[i - 1].row.history)
  })

  it("decides within the replayed weeks and buys after the decision, inside the 7-day window", () => {
    for (const { decidedAt, boughtAt } of pairs) {
      expect(decidedAt).toBeGreaterThanOrEqual(now - REPLAY_WEEKS * 7 * DAY_MS)
      expect(decidedAt).toBeLessThan(now)
      expect(boughtAt).toBeGreaterThan(decidedAt)
      expect(boughtAt - decidedAt).toBeLessThan(3 * DAY_MS)
    }
    // Spread over the weeks, not bunched: each week holds some decisions.
    const weeks = new Set(pairs.map((pair) => Math.floor((now - pair.decidedAt) / (7 * DAY_MS))))
    expect(weeks.size).toBe(REPLAY_WEEKS)
  })

  it("is the same for the same seed", () => {
    expect(pairReplay(customers, rows, now).map((pair) => [pair.customer.customerId, pair.row.history, pair.decidedAt])).toEqual(
      pairs.map((pair) => [pair.customer.customerId, pair.row.history, pair.decidedAt])
    )
  })
})
