/** What every benchmark section returns: the entry (scripts/bench.ts) prints the figures, the sections import only these types. */
export interface BenchResult {
  benchmark: string
  value: number
  unit: string
}

export interface BenchSection {
  name: string
  run: () => Promise<BenchResult[]>
  /** After the figures are printed: a message when they show the section failed (the command exits 1). */
  check?: (results: BenchResult[]) => string | undefined
  /** Runs only when asked for by name (`--only <name>`), not in a run of every section. */
  onRequest?: boolean
}
