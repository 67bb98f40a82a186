import { mean, std } from "../../src/ml/metrics/classification"
import type { EvalRow } from "./types"

/** Collects per-seed figures and turns them into EvalRows (value = first seed, plus mean/std). */
export class SeedTable {
  private values = new Map<string, { task: string; metric: string; anchor: number | null; baseline?: string; perSeed: number[]; extra: Record<string, unknown> }>()

  constructor(private seeds: number[]) {}

  add(task: string, metric: string, value: number, anchor: number | null, baseline?: string, extra: Record<string, unknown> = {}): void {
    const key = `${task}|${metric}|${baseline ?? ""}`
    if (!this.values.has(key)) this.values.set(key, { task, metric, anchor, baseline, perSeed: [], extra: {} })
    const e = this.values.get(key)!
    // Extras (e.g. interval bounds) are reported for the first seed, like `value`.
    if (e.perSeed.length === 0) e.extra = extra
    e.perSeed.push(value)
  }

  rows(): EvalRow[] {
    return [...this.values.values()].map((e) => {
      const row: EvalRow & Record<string, unknown> = {
        task: e.task,
        metric: e.metric,
        value: round(e.perSeed[0]),
        anchor: e.anchor,
        mean: round(mean(e.perSeed)),
        std: round(std(e.perSeed)),
        seeds: this.seeds.slice(0, e.perSeed.length),
        ...e.extra,
      }
      if (e.baseline) row.baseline = e.baseline
      return row
    })
  }
}

export function round(v: number, digits = 4): number {
  const k = 10 ** digits
  return Math.round(v * k) / k
}
