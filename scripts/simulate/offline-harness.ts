/**
 * `npx ts-node --transpile-only scripts/simulate/offline-harness.ts [--seeds 42] [--log whole|uniform|loop]
 *  [--arms "No E-Mail=0,Womens E-Mail=10,Mens E-Mail=15"]
 *  [--exploration 50] [--cold-start explore|no_discount] [--retrain-every 4000] [--learners "a,b"] [--limit N] [--draw 0]
 *  [--no-refit] [--json]`
 *
 * The live loop's learning problem without the store, in seconds to minutes: Hillstrom rows become the decision
 * log the live feature builder would give (as in `npm run simulate`), `trainResponseModel` (what the training job
 * runs) fits it, and `decideOffer` (exploration 0) decides the evaluation half, valued by replay as the simulate
 * command values it. Logs: `whole` (every learning row, propensity 1/arms: value_offline), `uniform` (the rows
 * a uniformly exploring loop matches), `loop` (a policy at --exploration around its latest model, retrained every
 * --retrain-every learning shoppers: the decisions the live loop logs, with their true propensities). `--draw K` (loop
 * log only) replays the same seed with the K-th other sequence of exploration draws: the loop's value moves by up to
 * 0.2 on one seed between draws (pooled logistic, seed 42: 3.4430 at draw 0, 3.2470 at draw 1), so a comparison
 * of settings needs more than one draw. `--no-refit` serves each fit without the latest 20% of its log (the
 * trainer's validated fit) instead of the refit on all of it.
 */
import * as path from "path"
import { readCsv } from "../../src/ml/data/csv"
import { mulberry32 } from "../../src/ml/data/split"
import { resolveDataDir } from "../../src/ml/data/paths"
import { decideOffer, OfferPolicy, ResponseModel } from "../../src/ml/decision/offer-decision"
import { offerFeatures } from "../../src/ml/decision/offer-features"
import { ResponseExample, responseModelFromEnsemble, trainResponseModel, chosenResponseLearner } from "../../src/ml/training/response"
import type { TreeEnsemble } from "../../src/ml/trees/types"
import { hillstromFeatureInput, hillstromShoppers, HillstromShopper } from "../eval/hillstrom-shoppers"
import { splitHalves } from "./split"

const DEFAULT_ARMS = "No E-Mail=0,Womens E-Mail=10,Mens E-Mail=15"
const BASKET = 100
const MARGIN = 30
const HOUR_MS = 3_600_000
const START = Date.UTC(2026, 0, 1)

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback
}

/** Hillstrom arm -> ladder level, as `npm run simulate --arms` maps them. */
const ARMS = new Map(
  arg("arms", DEFAULT_ARMS).split(",").map((pair) => {
    const [arm, level] = pair.split("=")
    if (!arm || !Number.isFinite(Number(level))) throw new Error(`--arms: "${pair}" is not ARM=LEVEL`)
    return [arm.trim(), Number(level)] as [string, number]
  })
)
const LEVELS = [...new Set(ARMS.values())].sort((a, b) => a - b)

const featuresAt = (shopper: HillstromShopper, at: number) => offerFeatures(hillstromFeatureInput(shopper, at, BASKET))

function policyOf(seed: number, exploration: number, coldStart: OfferPolicy["cold_start"]): OfferPolicy {
  return {
    id: `harness-${seed}`, strategy: "model", ladder: LEVELS.filter((level) => level > 0), max_discount_percent: 100, min_margin_percent: 0,
    holdout_percent: 0, exploration_percent: exploration, objective: "profit", cold_start: coldStart,
  }
}

function train(log: ResponseExample[], version: string, learners?: string[]): { model: ResponseModel; learner: string } {
  const { artifact } = trainResponseModel(log, version, undefined, { learners, refit: !process.argv.includes("--no-refit") })
  const model = responseModelFromEnsemble(artifact.reference as TreeEnsemble, version, artifact.featureSchema.map((feature) => feature.name))
  return { model, learner: chosenResponseLearner(artifact.metrics) ?? "?" }
}

function example(shopper: HillstromShopper, k: number, propensity: number): ResponseExample {
  const at = START + k * HOUR_MS
  return { features: featuresAt(shopper, at), discount_percent: ARMS.get(shopper.arm)!, propensity, converted: shopper.visit, margin_percent: MARGIN, at }
}

/** The decisions a loop at `exploration` logs (replay: only those matching the row's arm), retraining as it goes. */
function loopLog(learning: HillstromShopper[], seed: number, draw: number, exploration: number, coldStart: OfferPolicy["cold_start"], retrainEvery: number, learners?: string[]) {
  const rng = mulberry32(seed * 7 + 1 + draw * 1000)
  const policy = policyOf(seed, exploration, coldStart)
  const log: ResponseExample[] = []
  let model: ResponseModel | null = null
  let runs = 0
  learning.forEach((shopper, k) => {
    if (k > 0 && k % retrainEvery === 0) {
      try {
        model = train(log, `loop-${++runs}`, learners).model
      } catch {
        // not enough data yet: keep the cold start
      }
    }
    const context = { customerId: `c${k}`, basketValue: BASKET, marginPercent: MARGIN, features: featuresAt(shopper, START + k * HOUR_MS) }
    const decision = decideOffer(policy, context, model, rng(), rng())
    if (decision.chosen_percent === ARMS.get(shopper.arm)) log.push(example(shopper, k, decision.propensity))
  })
  return { log, runs }
}

function replayValue(evaluation: HillstromShopper[], decided: (shopper: HillstromShopper) => number): number {
  return evaluation.reduce((sum, shopper) => {
    const level = decided(shopper)
    return sum + (level === ARMS.get(shopper.arm) ? (3 * shopper.visit * BASKET * (MARGIN - level)) / 100 : 0)
  }, 0) / evaluation.length
}

function main() {
  const seeds = arg("seeds", "42").split(",").map(Number)
  const kind = arg("log", "whole")
  const exploration = Number(arg("exploration", "50"))
  const coldStart = arg("cold-start", "no_discount") as OfferPolicy["cold_start"]
  const retrainEvery = Number(arg("retrain-every", "4000"))
  const learners = arg("learners", "") ? arg("learners", "").split(",") : undefined
  const limit = Number(arg("limit", "0"))
  const draw = Number(arg("draw", "0"))
  const csv = path.join(resolveDataDir(path.resolve(__dirname, "../..")), "hillstrom.csv")
  let shoppers = hillstromShoppers(readCsv(csv)).filter((shopper) => ARMS.has(shopper.arm))
  if (limit) shoppers = shoppers.slice(0, limit)
  const values: number[] = []
  for (const seed of seeds) {
    const started = Date.now()
    const { learning, evaluation } = splitHalves(shoppers, seed)
    const uniform = mulberry32(seed * 7 + 2)
    const built =
      kind === "whole" ? { log: learning.map((shopper, k) => example(shopper, k, 1 / ARMS.size)), runs: 0 }
      : kind === "uniform" ? { log: learning.flatMap((shopper, k) => (LEVELS[Math.floor(uniform() * LEVELS.length)] === ARMS.get(shopper.arm) ? [example(shopper, k, 1 / LEVELS.length)] : [])), runs: 0 }
      : loopLog(learning, seed, draw, exploration, coldStart, retrainEvery, learners)
    const { model, learner } = train(built.log, `harness-${seed}`, learners)
    const at = START + learning.length * HOUR_MS
    const policy = policyOf(seed, 0, coldStart)
    const counts: Record<number, number> = Object.fromEntries(LEVELS.map((level) => [level, 0]))
    const value = replayValue(evaluation, (shopper) => {
      const level = decideOffer(policy, { customerId: "e", basketValue: BASKET, marginPercent: MARGIN, features: featuresAt(shopper, at) }, model, 1, 0).chosen_percent
      counts[level]++
      return level
    })
    values.push(value)
    const atLevel = LEVELS.map((level) => built.log.filter((row) => row.discount_percent === level).length)
    const line = { seed, log: kind, ...(kind === "loop" ? { draw } : {}), exploration, cold_start: coldStart, value: Math.round(value * 1e4) / 1e4, learner, logged: built.log.length, logged_per_level: atLevel, runs: built.runs, decided: counts, seconds: Math.round((Date.now() - started) / 100) / 10 }
    console.log(JSON.stringify(line))
  }
  if (seeds.length > 1) console.log(JSON.stringify({ mean: Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1e4) / 1e4 }))
}

main()
