/** One printed figure of `npm run eval`. `value` is the seed-42 figure; mean/std are over the 5 seeds. */
export interface EvalRow {
  task: "hillstrom-uplift" | "fraud" | "completejourney-next-purchase" | "hillstrom-policy" | string
  metric: string
  value: number
  anchor: number | null
  mean?: number
  std?: number
  seeds?: number[]
  /** A baseline computed in the same run (e.g. random targeting, popularity, logistic regression). */
  baseline?: string
}

export interface EvalOptions {
  dataDir: string
  seeds: number[]
  /** Report progress lines (stage, percent, elapsed) to stderr. */
  progress?: (line: string) => void
}
