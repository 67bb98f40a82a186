import { mulberry32 } from "../data/split"

/** Seeded uniform [0,1) generator: deterministic model init and sampling. */
export const createRng = mulberry32

export function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}
