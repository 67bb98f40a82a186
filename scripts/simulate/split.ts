import { mulberry32, shuffleInPlace } from "../../src/ml/data/split"

/** The seed's 50/50 split of the shoppers, each half in random order (the same for the offline and live parts). */
export function splitHalves<T>(shoppers: T[], seed: number): { learning: T[]; evaluation: T[] } {
  const order = shuffleInPlace(Int32Array.from(shoppers, (_, i) => i), mulberry32(seed))
  const half = Math.floor(order.length / 2)
  return { learning: Array.from(order.subarray(0, half), (i) => shoppers[i]), evaluation: Array.from(order.subarray(half), (i) => shoppers[i]) }
}
