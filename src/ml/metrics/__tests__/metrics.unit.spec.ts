import { averagePrecision, brier, logloss, recallAtFpr, rocAuc } from "../classification"
import { ate, qiniAucScore, qiniCurve, upliftAtK } from "../uplift"

describe("classification metrics (hand-computed)", () => {
  const y = [1, 0, 1, 0, 1]
  const s = [0.9, 0.8, 0.7, 0.6, 0.2]

  it("ROC-AUC counts correctly ordered positive/negative pairs, ties as half", () => {
    expect(rocAuc(y, s)).toBeCloseTo(3 / 6, 12)
    expect(rocAuc([1, 0], [0.5, 0.5])).toBeCloseTo(0.5, 12)
    expect(rocAuc([1, 1, 0], [3, 2, 1])).toBe(1)
  })

  it("average precision = mean precision at each positive", () => {
    expect(averagePrecision(y, s)).toBeCloseTo((1 + 2 / 3 + 3 / 5) / 3, 12)
    expect(averagePrecision([1, 0], [0.5, 0.5])).toBeCloseTo(0.5, 12)
  })

  it("recall at a false positive rate", () => {
    const yy = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0]
    const ss = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    expect(recallAtFpr(yy, ss, 0)).toBeCloseTo(2 / 3, 12)
    expect(recallAtFpr(yy, ss, 1 / 7)).toBe(1)
    expect(recallAtFpr(yy, ss, 0.1)).toBeCloseTo(2 / 3, 12)
  })

  it("logloss and brier", () => {
    expect(logloss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12)
    expect(brier([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12)
  })
})

describe("uplift metrics (hand-computed, scikit-uplift semantics)", () => {
  it("uplift@k overall: treated minus control rate in the top floor(n k) rows", () => {
    const u = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    const t = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]
    const yy = [1, 0, 0, 1, 1, 1, 0, 0, 0, 0]
    expect(upliftAtK(yy, u, t, 0.3)).toBeCloseTo(0.5 - 0, 12)
    // by_group: top 30% of each arm separately: treated rows 0,2 (floor 1.5 = 1 -> row 0), control row 1.
    expect(upliftAtK(yy, u, t, 0.3, "by_group")).toBeCloseTo(1 - 0, 12)
    expect(ate(yy, t)).toBeCloseTo(2 / 5 - 2 / 5, 12)
  })

  it("qini curve and normalised qini AUC", () => {
    const yy = [1, 0, 1, 0]
    const t = [1, 1, 0, 0]
    const u = [4, 3, 2, 1]
    const c = qiniCurve(yy, u, t)
    expect(Array.from(c.x)).toEqual([0, 1, 2, 3, 4])
    expect(Array.from(c.y)).toEqual([0, 1, 1, -1, 0])
    // model area 1, perfect area 3, random baseline 0.
    expect(qiniAucScore(yy, u, t)).toBeCloseTo(1 / 3, 12)
  })

  it("tied scores form one step of the qini curve", () => {
    const c = qiniCurve([1, 0, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1])
    expect(Array.from(c.x)).toEqual([0, 2, 4])
  })
})

describe("inverse-propensity weighted Qini", () => {
  const y = [1, 0, 1, 0, 1, 0, 0, 1]
  const t = [1, 1, 0, 0, 1, 0, 1, 0]
  const u = [0.9, 0.2, 0.4, 0.1, 0.7, 0.5, 0.3, 0.6]

  it("equals the unweighted Qini when every weight is 1", () => {
    expect(qiniAucScore(y, u, t, y.map(() => 1))).toBeCloseTo(qiniAucScore(y, u, t), 12)
  })

  it("counts a row of weight 2 as that row twice", () => {
    const w = [2, 1, 1, 2, 1, 1, 2, 1]
    const repeat = <T>(values: T[]) => values.flatMap((value, i) => (w[i] === 2 ? [value, value] : [value]))
    // Ties between a row and its copy rank together, as the weighted row does.
    expect(qiniAucScore(y, u, t, w)).toBeCloseTo(qiniAucScore(repeat(y), repeat(u), repeat(t)), 12)
    expect(qiniAucScore(y, u, t, w)).not.toBeCloseTo(qiniAucScore(y, u, t), 6)
  })
})
