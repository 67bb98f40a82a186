import { mt19937, numpyPermutation, numpyShuffle } from "../split"

// Printed by /usr/bin/python3 with numpy 1.24.2 (Debian): `list(np.random.RandomState(seed).permutation(n))`.
describe("numpy's legacy RandomState", () => {
  it("draws MT19937's reference outputs for seed 5489", () => {
    const next = mt19937(5489)
    expect([next(), next(), next()]).toEqual([3499211612, 581869302, 3890346734])
  })

  it("permutes as numpy does for small n", () => {
    expect(Array.from(numpyPermutation(10, 42))).toEqual([8, 1, 5, 0, 7, 2, 9, 4, 3, 6])
    expect(Array.from(numpyPermutation(10, 1))).toEqual([2, 9, 6, 4, 0, 3, 1, 7, 8, 5])
    expect(Array.from(numpyPermutation(10, 0))).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
    expect(Array.from(numpyPermutation(5, 2 ** 32 - 1))).toEqual([4, 1, 0, 2, 3])
  })

  it("permutes Hillstrom's 64,000 rows as numpy does", () => {
    const seed42 = numpyPermutation(64000, 42)
    expect(Array.from(seed42.subarray(0, 10))).toEqual([33042, 7209, 24367, 19599, 31465, 32504, 23080, 7168, 26195, 36096])
    expect(Array.from(seed42.subarray(-5))).toEqual([62570, 38158, 860, 15795, 56422])
    const seed1 = numpyPermutation(64000, 1)
    expect(Array.from(seed1.subarray(0, 10))).toEqual([16402, 62020, 49523, 12502, 63370, 3925, 4140, 6718, 56798, 16144])
    expect(Array.from(seed1.subarray(-5))).toEqual([32511, 5192, 12172, 33003, 62501])
  })

  it("shuffles any array in place with the permutation's order", () => {
    const letters = numpyShuffle(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"], 42)
    expect(letters.join("")).toBe("ibfahcjedg")
  })

  it("refuses seeds numpy refuses", () => {
    expect(() => mt19937(-1)).toThrow()
    expect(() => mt19937(2 ** 32)).toThrow()
    expect(() => mt19937(1.5)).toThrow()
  })
})
