import { appendFile } from "fs"

/**
 * With UPLIFT_DECISION_TIMINGS_FILE set (benchmarks), each in-request decision appends
 * `{"ms":..,"drew":..}` to that file after it is timed (`drew`: some live policy had no standing decision,
 * so it went past the one-read check and decided); otherwise nothing is kept.
 */
export function recordDecisionTiming(ms: number, drew: boolean): void {
  const file = process.env.UPLIFT_DECISION_TIMINGS_FILE
  if (!file) return
  appendFile(file, `${JSON.stringify({ ms: Math.round(ms * 1000) / 1000, drew })}\n`, () => undefined)
}
