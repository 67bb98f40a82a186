import { mulberry32 } from "../data/split"
import { median } from "./median"

/**
 * The ratio of two sides measured in alternating pairs of rounds (benchmarks: with / without the plugin), and
 * its 95% interval. Each pair gives one ratio; the estimate is their geometric mean and the interval is
 * Student's t on the log ratios (pairs share the machine's drift, so the pair is the unit of noise, not
 * the request).
 */
export interface PairedRatio {
  ratio: number
  low: number
  high: number
  /** Half the interval's width, in ratio units. */
  halfWidth: number
  pairs: number
}

// Two-sided 97.5% quantiles of Student's t, by degrees of freedom (1..30); beyond, the normal's.
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042]

export function studentT975(degreesOfFreedom: number): number {
  if (degreesOfFreedom < 1) return Infinity
  return degreesOfFreedom <= T975.length ? T975[degreesOfFreedom - 1] : 1.96
}

/** From one ratio per pair (each > 0). With fewer than two pairs the interval is unbounded. */
export function pairedRatio(ratios: number[]): PairedRatio {
  const logs = ratios.filter((r) => Number.isFinite(r) && r > 0).map(Math.log)
  const k = logs.length
  if (k === 0) return { ratio: NaN, low: NaN, high: NaN, halfWidth: Infinity, pairs: 0 }
  const mean = logs.reduce((a, b) => a + b, 0) / k
  const variance = k > 1 ? logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1) : Infinity
  const margin = studentT975(k - 1) * Math.sqrt(variance / k)
  const low = Math.exp(mean - margin)
  const high = Math.exp(mean + margin)
  return { ratio: Math.exp(mean), low, high, halfWidth: (high - low) / 2, pairs: k }
}

/**
 * The ratio of two sides' medians over all their rounds, with a 95% interval from resampling whole blocks
 * (percentile bootstrap, `draws` resamples): block j of `a` and block j of `b` ran alternately in the same
 * minutes, so they are drawn together and the machine's drift stays shared. The interval is about the same
 * figure as the estimate (a t interval on block ratios is about their geometric mean, which can differ).
 */
export function blockMedianRatio(a: number[][], b: number[][], draws = 2000, seed = 1): { ratio: number; low: number; high: number } {
  const blocks = Math.min(a.length, b.length)
  const ratio = median(a.slice(0, blocks).flat()) / median(b.slice(0, blocks).flat())
  if (blocks < 2) return { ratio, low: NaN, high: NaN }
  const rng = mulberry32(seed)
  const ratios = Array.from({ length: draws }, () => {
    const picked = Array.from({ length: blocks }, () => Math.floor(rng() * blocks))
    return median(picked.flatMap((j) => a[j])) / median(picked.flatMap((j) => b[j]))
  }).sort((x, y) => x - y)
  return { ratio, low: ratios[Math.floor(0.025 * (draws - 1))], high: ratios[Math.ceil(0.975 * (draws - 1))] }
}
