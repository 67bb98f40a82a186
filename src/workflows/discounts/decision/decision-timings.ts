import { appendFile } from "fs"

/**
 * With UPLIFT_DECISION_TIMINGS_FILE set (benchmarks), each in-request decision appends
 * `{"ms":..,"drew":..,"phases":{..}}` to that file after it is timed (`drew`: some live policy had no
 * standing decision, so it went past the one-read check and decided; `phases`: its reads and its
 * log-and-issue transaction); otherwise nothing is kept.
 */
export function recordDecisionTiming(ms: number, phases: Record<string, number> | undefined): void {
  const file = process.env.UPLIFT_DECISION_TIMINGS_FILE
  if (!file) return
  const rounded = (value: number) => Math.round(value * 1000) / 1000
  const drew = phases !== undefined
  const line = { ms: rounded(ms), drew, phases: drew ? Object.fromEntries(Object.entries(phases!).map(([key, value]) => [key, rounded(value)])) : undefined }
  appendFile(file, `${JSON.stringify(line)}\n`, () => undefined)
}
