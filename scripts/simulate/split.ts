import { numpyPermutation } from "../../src/ml/data/split"

/**
 * The seed's 50/50 split of the shoppers, each half in random order (the same for the offline and live parts):
 * learning is the first half of numpy's `RandomState(seed).permutation(n)`, the halves of issue #16's
 * scikit-learn anchor (fixed levels 3.1922 / 3.0304 / 2.7098 over the seeds 42,1,2,3,4).
 */
export function splitHalves<T>(shoppers: T[], seed: number): { learning: T[]; evaluation: T[] } {
  const order = numpyPermutation(shoppers.length, seed)
  const half = Math.floor(order.length / 2)
  return { learning: Array.from(order.subarray(0, half), (i) => shoppers[i]), evaluation: Array.from(order.subarray(half), (i) => shoppers[i]) }
}
