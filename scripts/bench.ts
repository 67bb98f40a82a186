/**
 * Benchmarks, one section per feature. `npm run bench` prints a table; `npm run bench -- --json` prints one
 * `{"benchmark","value","unit"}` line per figure. `--only <section>` runs one section; `scale` (a million
 * customers, an hour or more) runs only so: `--only scale [--customers N] [--interactions M]`.
 */
import { cartDecisionSection } from "./bench/cart-decision"
import { cartUpdateSection } from "./bench/cart-update"
import { cartCpuSection } from "./bench/cart-cpu"
import { checkoutFraudSection } from "./bench/checkout-fraud"
import { ingestionSection, trainingSection } from "./bench/ingestion"
import { loadSection } from "./bench/load"
import { recommendationsSection } from "./bench/recommendations"
import { scaleSection } from "./bench/scale"
import { scaleOutSection } from "./bench/scale-out"
import type { BenchSection } from "./bench/types"

const SECTIONS: BenchSection[] = [checkoutFraudSection, ingestionSection, scaleOutSection, cartUpdateSection, cartCpuSection, cartDecisionSection, recommendationsSection, loadSection, trainingSection, scaleSection]

async function main() {
  const json = process.argv.includes("--json")
  const onlyAt = process.argv.indexOf("--only")
  const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined
  let failed = false
  for (const section of SECTIONS.filter((s) => (only ? s.name === only : !s.onRequest))) {
    if (!json) console.log(`\n== ${section.name}`)
    try {
      const results = await section.run()
      for (const r of results) {
        console.log(json ? JSON.stringify({ benchmark: r.benchmark, value: r.value, unit: r.unit }) : `${r.benchmark.padEnd(48)} ${String(r.value).padStart(10)} ${r.unit}`)
      }
      const problem = section.check?.(results)
      if (problem) {
        failed = true
        console.error(`bench section ${section.name} failed: ${problem}`)
      }
    } catch (e) {
      failed = true
      console.error(`bench section ${section.name} failed: ${e instanceof Error ? e.stack : String(e)}`)
    }
  }
  process.exit(failed ? 1 : 0)
}

void main()
