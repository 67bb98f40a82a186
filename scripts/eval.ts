/**
 * `npm run eval [-- --json] [--task <name>] [--seeds N]`
 * Human-readable table by default; with --json, stdout carries only one JSON object per line.
 * Progress (stage, percent, elapsed) goes to stderr.
 */
import * as path from "path"
import { resolveDataDir } from "../src/ml/data/paths"
import { fraudExample, runFraudEval } from "./eval/fraud"
import { runHillstromUplift } from "./eval/hillstrom"
import { runHillstromPolicy } from "./eval/policy"
import type { EvalOptions, EvalRow } from "./eval/types"

const ALL_SEEDS = [42, 1, 2, 3, 4]

interface Args {
  json: boolean
  task: string | null
  seeds: number
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, task: null, seeds: 5 }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") args.json = true
    else if (argv[i] === "--task") args.task = argv[++i]
    else if (argv[i] === "--seeds") args.seeds = Math.max(1, Number(argv[++i]))
    else throw new Error(`unknown argument ${argv[i]} (use --json, --task <name>, --seeds N)`)
  }
  return args
}

function seedList(n: number): number[] {
  const out = ALL_SEEDS.slice(0, n)
  while (out.length < n) out.push(out.length)
  return out
}

type Runner = (opts: EvalOptions) => Promise<EvalRow[]>

/** The recommendation task belongs to another module; load it lazily so eval runs without it. */
function completeJourneyRunner(): Runner {
  return async (opts) => {
    let mod: { runCompleteJourneyEval?: Runner }
    try {
      mod = require("./eval/completejourney")
    } catch (e) {
      opts.progress?.(`completejourney: not available (${(e as Error).message.split("\n")[0]})`)
      return [{ task: "completejourney-next-purchase", metric: "missing", value: NaN, anchor: null, baseline: "scripts/eval/completejourney.ts not found" } as EvalRow]
    }
    if (typeof mod.runCompleteJourneyEval !== "function") {
      return [{ task: "completejourney-next-purchase", metric: "missing", value: NaN, anchor: null, baseline: "runCompleteJourneyEval not exported" } as EvalRow]
    }
    return mod.runCompleteJourneyEval(opts)
  }
}

const TASKS: [string, Runner][] = [
  ["hillstrom-uplift", runHillstromUplift],
  ["hillstrom-policy", runHillstromPolicy],
  ["fraud", runFraudEval],
  ["completejourney-next-purchase", completeJourneyRunner()],
]

function fmt(v: unknown, digits = 4): string {
  if (typeof v !== "number") return v === null || v === undefined ? "-" : String(v)
  if (Number.isNaN(v)) return "n/a"
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(digits)
}

function printTable(rows: EvalRow[]): void {
  const header = ["task", "metric", "ours (seed 42)", "mean ± std", "anchor", "notes"]
  const lines = rows.map((r) => {
    const extra = r as EvalRow & Record<string, unknown>
    const notes: string[] = []
    if (r.baseline) notes.push(`baseline: ${r.baseline}`)
    if (extra.learner) notes.push(`learner: ${extra.learner}`)
    if (extra.model) notes.push(String(extra.model))
    if (extra.ci95) notes.push(`DR 95% CI [${(extra.ci95 as number[]).join(", ")}], IPS ${fmt(extra.ips, 2)} [${(extra.ips_ci95 as number[]).join(", ")}]`)
    if (extra.arm) notes.push(String(extra.arm))
    if (r.anchor !== null && typeof r.value === "number" && !Number.isNaN(r.value)) notes.push(`${r.value >= r.anchor ? "≥" : "<"} anchor by ${fmt(Math.abs(r.value - r.anchor))}`)
    const spread = r.mean === undefined ? "-" : `${fmt(r.mean)} ± ${fmt(r.std)}`
    return [r.task, r.metric, fmt(r.value), spread, fmt(r.anchor), notes.join("; ")]
  })
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)))
  const line = (cells: string[]) => cells.map((s, c) => (c === cells.length - 1 ? s : s.padEnd(widths[c]))).join("  ")
  console.log(line(header))
  console.log(widths.map((w) => "-".repeat(w)).join("  "))
  for (const l of lines) console.log(line(l))
}

function printFraudExample(): void {
  if (!fraudExample) return
  const { index, explanation } = fraudExample
  console.log(`\nExample fraud explanation (CSV row ${index + 1}, score ${explanation.score}/100):`)
  for (const r of explanation.reasons) console.log(`  ${r.direction === "up" ? "↑" : "↓"} ${r.sentence}`)
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const repoRoot = path.resolve(__dirname, "..")
  const started = Date.now()
  const tasks = TASKS.filter(([name]) => !args.task || name === args.task)
  if (tasks.length === 0) throw new Error(`unknown task ${args.task}; tasks: ${TASKS.map(([n]) => n).join(", ")}`)
  let done = 0
  const progress = (stage: string) => {
    const pct = Math.round((100 * done) / tasks.length)
    process.stderr.write(`[eval] ${pct}% ${((Date.now() - started) / 1000).toFixed(1)}s ${stage}\n`)
  }
  const opts: EvalOptions = { dataDir: resolveDataDir(repoRoot), seeds: seedList(args.seeds), progress }
  const rows: EvalRow[] = []
  for (const [name, run] of tasks) {
    progress(`${name}: start`)
    const got = await run(opts)
    rows.push(...got)
    done++
    progress(`${name}: done`)
    if (args.json) for (const r of got) process.stdout.write(JSON.stringify(r) + "\n")
  }
  if (!args.json) {
    console.log(`medusa-uplift evaluation — seeds ${opts.seeds.join(", ")} (value = seed ${opts.seeds[0]}); data ${opts.dataDir}\n`)
    printTable(rows)
    printFraudExample()
    console.log(`\nTotal ${((Date.now() - started) / 1000).toFixed(1)}s`)
  }
}

main().catch((e) => {
  process.stderr.write(`eval failed: ${(e as Error).stack ?? e}\n`)
  process.exit(1)
})
