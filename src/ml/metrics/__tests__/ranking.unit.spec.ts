import { hitAtK, hr_at_k, ndcgAtK, ndcg_at_k } from "../ranking"

describe("ranking metrics", () => {
  it("hit rate counts users with a relevant item in the top k", () => {
    const rankings = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]
    const relevant = [new Set([3]), new Set([6]), new Set([1])]
    expect(hr_at_k(rankings, relevant, 3)).toBeCloseTo(2 / 3, 12)
    expect(hr_at_k(rankings, relevant, 2)).toBe(0)
    expect(hitAtK([1, 2], new Set([2]), 1)).toBe(0)
  })

  it("ndcg uses binary gains discounted by log2(rank + 1)", () => {
    // relevant at ranks 2 and 4 of 2 relevant: (1/log2 3 + 1/log2 5) / (1 + 1/log2 3)
    const expected = (1 / Math.log2(3) + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3))
    expect(ndcgAtK([10, 20, 30, 40], new Set([20, 40]), 10)).toBeCloseTo(expected, 12)
    expect(ndcgAtK([20, 40], new Set([20, 40]), 10)).toBeCloseTo(1, 12)
    // a relevant item outside the top k does not count, and the ideal is capped at k items
    expect(ndcgAtK([1, 2, 3], new Set([3, 4, 5]), 2)).toBe(0)
    expect(ndcgAtK([3, 1], new Set([3, 4, 5]), 2)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12)
  })

  it("averages per-user ndcg and handles empty relevance", () => {
    const v = ndcg_at_k([[1], [2]], [new Set([1]), new Set<number>()], 10)
    expect(v).toBeCloseTo(0.5, 12)
  })
})
