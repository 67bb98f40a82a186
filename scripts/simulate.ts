/**
 * `npm run simulate [-- --json] [--arms "No E-Mail=0,Womens E-Mail=10,Mens E-Mail=15"] [--outcome visit]
 *  [--basket 100] [--margin 30] [--seeds 42,1,2,3,4]`
 *
 * Replays Hillstrom (randomized thirds) through the plugin's own decision pieces: each row is a shopper
 * whose history is what the live feature builder sees (src/ml/eval/hillstrom-shoppers.ts), arms are ladder
 * levels. Per seed, a 50/50 split: the response trainer that serves (trainResponseModel) learns from the
 * learning half as a decision log (propensity 1/3 each), the policy (strategy model, objective profit,
 * exploration 0) decides on the evaluation half, and its value per shopper is the replay estimate
 * 3 x [decided = logged] x outcome x basket x (margin - level) / 100, side by side with each fixed level.
 *
 * Not yet here: the live learning loop through the Medusa container (decision log, BullMQ training runs,
 * registry; metric value_per_shopper) and --http N.
 */
import * as path from "path"
import { readCsv } from "../src/ml/data/csv"
import { resolveDataDir } from "../src/ml/data/paths"
import { mulberry32, shuffleInPlace } from "../src/ml/data/split"
import { decideOffer, OfferPolicy } from "../src/ml/decision/offer-decision"
import { offerFeatures } from "../src/ml/decision/offer-features"
import { hillstromFeatureInput, hillstromShoppers, HillstromShopper } from "./eval/hillstrom-shoppers"
import { ResponseExample, responseModelFromEnsemble, trainResponseModel } from "../src/ml/training/response"
import type { TreeEnsemble } from "../src/ml/trees/types"

interface Args {
  json: boolean
  arms: Map<string, number>
  outcome: "visit" | "conversion"
  basket: number
  margin: number
  seeds: number[]
}

const DEFAULT_ARMS = "No E-Mail=0,Womens E-Mail=10,Mens E-Mail=15"
/** scikit-learn on the same protocol (5-seed means), for the default arms and outcome only. */
const ANCHORS: Record<string, number> = { value_fixed_0: 3.19, value_fixed_10: 3.03, value_fixed_15: 2.71, value_offline: 3.48 }
const HOUR_MS = 3_600_000

function parseArgs(argv: string[]): Args {
  const value = (name: string, fallback: string) => {
    const at = argv.indexOf(`--${name}`)
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback
  }
  const arms = new Map(
    value("arms", DEFAULT_ARMS)
      .split(",")
      .map((pair) => {
        const [arm, level] = pair.split("=")
        if (!arm || !Number.isFinite(Number(level))) throw new Error(`--arms: "${pair}" is not ARM=LEVEL`)
        return [arm.trim(), Number(level)] as [string, number]
      })
  )
  const outcome = value("outcome", "visit")
  if (outcome !== "visit" && outcome !== "conversion") throw new Error("--outcome: visit or conversion")
  return {
    json: argv.includes("--json"),
    arms,
    outcome,
    basket: Number(value("basket", "100")),
    margin: Number(value("margin", "30")),
    seeds: value("seeds", value("seed", "42,1,2,3,4")).split(",").map(Number),
  }
}

function main() {
  const args = parseArgs(process.argv.slice(2))
  const shoppers = hillstromShoppers(readCsv(path.join(resolveDataDir(path.resolve(__dirname, "..")), "hillstrom.csv"))).filter((shopper) => args.arms.has(shopper.arm))
  const levels = [...new Set(args.arms.values())].sort((a, b) => a - b)
  const defaults = args.outcome === "visit" && [...args.arms].map(([arm, level]) => `${arm}=${level}`).join(",") === DEFAULT_ARMS
  const perSeed: Record<string, number>[] = []
  for (const seed of args.seeds) {
    const started = Date.now()
    const values = simulateSeed(shoppers, args, levels, seed)
    perSeed.push(values)
    for (const [metric, value] of Object.entries(values)) emit(args, metric, value, defaults, seed)
    if (!args.json) console.log(`  seed ${seed}: ${((Date.now() - started) / 1000).toFixed(0)} s`)
  }
  for (const metric of Object.keys(perSeed[0])) {
    emit(args, metric, perSeed.reduce((sum, values) => sum + values[metric], 0) / perSeed.length, defaults)
  }
}

function simulateSeed(shoppers: HillstromShopper[], args: Args, levels: number[], seed: number): Record<string, number> {
  const order = shuffleInPlace(Int32Array.from(shoppers, (_, i) => i), mulberry32(seed))
  const half = Math.floor(order.length / 2)
  const learning = Array.from(order.subarray(0, half), (i) => shoppers[i])
  const evaluation = Array.from(order.subarray(half), (i) => shoppers[i])
  const start = Date.UTC(2026, 0, 1)
  const featuresAt = (shopper: HillstromShopper, at: number) => offerFeatures(hillstromFeatureInput(shopper, at, args.basket))
  const examples: ResponseExample[] = learning.map((shopper, k) => ({
    features: featuresAt(shopper, start + k * HOUR_MS),
    discount_percent: args.arms.get(shopper.arm)!,
    propensity: 1 / args.arms.size,
    converted: shopper[args.outcome],
    at: start + k * HOUR_MS,
  }))
  const { artifact } = trainResponseModel(examples, `simulate-${seed}`)
  const model = responseModelFromEnsemble(artifact.reference as TreeEnsemble, artifact.version, artifact.featureSchema.map((feature) => feature.name))
  const policy: OfferPolicy = {
    id: `simulate-${seed}`, strategy: "model", ladder: levels.filter((level) => level > 0), max_discount_percent: 100, min_margin_percent: 0,
    holdout_percent: 0, exploration_percent: 0, objective: "profit",
  }
  const at = start + half * HOUR_MS
  const replayValue = (decided: (shopper: HillstromShopper) => number) =>
    evaluation.reduce((sum, shopper) => {
      const level = decided(shopper)
      const matched = level === args.arms.get(shopper.arm)
      return sum + (matched ? 3 * shopper[args.outcome] * args.basket * (args.margin - level) / 100 : 0)
    }, 0) / evaluation.length
  const values: Record<string, number> = {}
  for (const level of levels) values[`value_fixed_${level}`] = replayValue(() => level)
  values.value_offline = replayValue((shopper) => {
    const context = { customerId: "s", basketValue: args.basket, marginPercent: args.margin, features: featuresAt(shopper, at) }
    return decideOffer(policy, context, model, 1, 0).chosen_percent
  })
  return values
}

function emit(args: Args, metric: string, value: number, defaults: boolean, seed?: number) {
  const anchor = defaults ? ANCHORS[metric] ?? null : null
  if (args.json) {
    console.log(JSON.stringify({ task: "simulate", metric, value: Math.round(value * 10_000) / 10_000, anchor, ...(seed === undefined ? { seeds: args.seeds } : { seed }) }))
  } else {
    console.log(`${seed === undefined ? "mean" : `seed ${seed}`}  ${metric.padEnd(18)} ${value.toFixed(4)}${anchor === null ? "" : `  (scikit-learn ${anchor})`}`)
  }
}

main()
