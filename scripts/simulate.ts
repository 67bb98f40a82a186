/**
 * `npm run simulate [-- --json] [--arms "No E-Mail=0,Womens E-Mail=10,Mens E-Mail=15"] [--outcome visit]
 *  [--basket 100] [--margin 30] [--seeds 42,1,2,3,4] [--limit N] [--retrain-every 4000] [--exploration 50]
 *  [--cold-start no_discount|prior|explore] [--concurrency 8] [--http N] [--offline-only] [--no-offline-learner]`
 *
 * Replays Hillstrom (randomized thirds) through the plugin. Each row is a shopper whose history is what the
 * live feature builder sees (scripts/eval/hillstrom-shoppers.ts); arms are ladder levels; per seed a 50/50
 * split (scripts/simulate/split.ts). The value of a policy is the replay estimate over the evaluation half,
 * 3 x [decided = logged] x outcome x basket x (margin - level) / 100 per shopper.
 *
 * - value_per_shopper: the live learning loop (scripts/simulate/live-loop.ts, one `medusa exec` per seed on
 *   a throwaway Postgres database, plugin queues on Redis from UPLIFT_REDIS_URL or REDIS_URL): the plugin's
 *   decision path, decision log, training runs through the BullMQ training queue and the model registry.
 * - value_fixed_<level>: every shopper gets that level.
 * - value_offline: the response trainer that serves (trainResponseModel) fitted on the whole learning half
 *   as a uniformly randomized decision log, deciding at exploration 0.
 * - with --http N: http_shoppers_ok / http_offers_shown, N shoppers through the Store API of `medusa start`
 *   on the same database (register, log in, cart, add the basket item): the add response must show the
 *   offer exactly when the shopper's offers list has one.
 *
 * Progress goes to stderr; `--json` prints only {"task":"simulate","metric","value","anchor",...} lines.
 * env: DB_HOST / DB_USERNAME / DB_PASSWORD, UPLIFT_REDIS_URL or REDIS_URL, SIMULATE_KEEP_DB=1.
 */
import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import { spawn } from "child_process"
import { Client } from "pg"
import { readCsv } from "../src/ml/data/csv"
import { resolveDataDir } from "../src/ml/data/paths"
import { decideOffer, OfferPolicy } from "../src/ml/decision/offer-decision"
import { offerFeatures } from "../src/ml/decision/offer-features"
import { hillstromFeatureInput, hillstromShoppers, HillstromShopper } from "./eval/hillstrom-shoppers"
import { ResponseExample, responseModelFromEnsemble, trainResponseModel } from "../src/ml/training/response"
import type { TreeEnsemble } from "../src/ml/trees/types"
import { splitHalves } from "./simulate/split"
import type { LiveConfig, LiveResult } from "./simulate/live-loop"
import { call, dbUrl, dropDatabase, dropIfInterrupted, freePort, registerShopper, ROOT, sleep, startServer, stopServer, storeEnv, waitHealthy, medusa } from "./lib/medusa-store"

interface Args {
  json: boolean
  arms: Map<string, number>
  outcome: "visit" | "conversion"
  basket: number
  margin: number
  seeds: number[]
  limit: number | null
  retrainEvery: number
  exploration: number
  coldStart: "no_discount" | "prior" | "explore"
  concurrency: number
  http: number
  offlineOnly: boolean
  /** Skips value_offline (the offline learner's training): the live loop and the fixed levels only. */
  noOfflineLearner: boolean
}

const DEFAULT_ARMS = "No E-Mail=0,Womens E-Mail=10,Mens E-Mail=15"
/** scikit-learn on the same protocol and halves (numpy's permutation, as splitHalves), 5-seed means, for the default arms and outcome only. */
const ANCHORS: Record<string, number> = { value_fixed_0: 3.19, value_fixed_10: 3.03, value_fixed_15: 2.71, value_offline: 3.48, value_per_shopper: 3.44 }
const HOUR_MS = 3_600_000
const log = (message: string) => console.error(`[simulate] ${message}`)

function parseArgs(argv: string[]): Args {
  const value = (name: string, fallback: string) => {
    const at = argv.indexOf(`--${name}`)
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback
  }
  const number = (name: string, fallback: string, min: number, max = Infinity) => {
    const parsed = Number(value(name, fallback))
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw new Error(`--${name}: a number from ${min}${max < Infinity ? ` to ${max}` : ""}`)
    return parsed
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
  const limit = value("limit", "")
  return {
    json: argv.includes("--json"),
    arms,
    outcome,
    basket: number("basket", "100", 0.01),
    margin: number("margin", "30", 0, 100),
    seeds: value("seeds", value("seed", "42,1,2,3,4")).split(",").map(Number),
    limit: limit ? number("limit", limit, 10) : null,
    retrainEvery: number("retrain-every", "4000", 1),
    exploration: number("exploration", "50", 0, 50),
    coldStart: coldStartOf(value("cold-start", "no_discount")),
    concurrency: number("concurrency", "8", 1, 64),
    http: number("http", "0", 0),
    offlineOnly: argv.includes("--offline-only"),
    noOfflineLearner: argv.includes("--no-offline-learner"),
  }
}

function coldStartOf(value: string): Args["coldStart"] {
  if (value !== "no_discount" && value !== "prior" && value !== "explore") throw new Error("--cold-start: no_discount, prior or explore")
  return value
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  const csv = path.join(resolveDataDir(path.resolve(__dirname, "..")), "hillstrom.csv")
  let shoppers = hillstromShoppers(readCsv(csv)).filter((shopper) => args.arms.has(shopper.arm))
  if (args.limit) shoppers = shoppers.slice(0, args.limit)
  const levels = [...new Set(args.arms.values())].sort((a, b) => a - b)
  const defaults = !args.limit && args.outcome === "visit" && [...args.arms].map(([arm, level]) => `${arm}=${level}`).join(",") === DEFAULT_ARMS
  const emit = (metric: string, value: number, seed?: number, extra: Record<string, unknown> = {}) => {
    const anchor = defaults ? ANCHORS[metric] ?? null : null
    if (args.json) {
      console.log(JSON.stringify({ task: "simulate", metric, value: Math.round(value * 10_000) / 10_000, anchor, ...(seed === undefined ? { seeds: args.seeds } : { seed }), ...extra }))
    } else {
      console.log(`${seed === undefined ? "mean   " : `seed ${String(seed).padEnd(2)}`}  ${metric.padEnd(18)} ${value.toFixed(4)}${anchor === null ? "" : `  (scikit-learn ${anchor})`}`)
    }
  }
  const live = args.offlineOnly ? null : await liveStore(args)
  const perSeed: Record<string, number>[] = []
  try {
    for (const seed of args.seeds) {
      const started = Date.now()
      const values = simulateOffline(shoppers, args, levels, seed)
      log(`seed ${seed}: offline part in ${((Date.now() - started) / 1000).toFixed(0)} s`)
      if (live) {
        const result = await live.runSeed(csv, seed)
        values.value_per_shopper = result.value_per_shopper
        const { value_per_shopper: _value, seed: _seed, ...details } = result
        log(`seed ${seed}: live loop ${JSON.stringify(details)}`)
      }
      perSeed.push(values)
      for (const [metric, value] of Object.entries(values)) emit(metric, value, seed)
    }
    for (const metric of Object.keys(perSeed[0])) emit(metric, perSeed.reduce((sum, values) => sum + values[metric], 0) / perSeed.length)
    if (live) {
      const beats = perSeed.filter((values) => levels.every((level) => values.value_per_shopper > values[`value_fixed_${level}`])).length
      emit("seeds_live_beats_fixed", beats, undefined, { of: perSeed.length })
      if (args.http > 0) {
        const smoke = await live.httpSmoke(args.http)
        emit("http_shoppers_ok", smoke.ok, undefined, { of: args.http })
        emit("http_offers_shown", smoke.offers, undefined, { of: args.http })
      }
    }
  } finally {
    await live?.close()
  }
}

function simulateOffline(shoppers: HillstromShopper[], args: Args, levels: number[], seed: number): Record<string, number> {
  const { learning, evaluation } = splitHalves(shoppers, seed)
  const start = Date.UTC(2026, 0, 1)
  const featuresAt = (shopper: HillstromShopper, at: number) => offerFeatures(hillstromFeatureInput(shopper, at, args.basket))
  const examples = (): ResponseExample[] => learning.map((shopper, k) => ({
    features: featuresAt(shopper, start + k * HOUR_MS),
    discount_percent: args.arms.get(shopper.arm)!,
    propensity: 1 / args.arms.size,
    converted: shopper[args.outcome],
    margin_percent: args.margin,
    at: start + k * HOUR_MS,
  }))
  const policy: OfferPolicy = {
    id: `simulate-${seed}`, strategy: "model", ladder: levels.filter((level) => level > 0), max_discount_percent: 100, min_margin_percent: 0,
    holdout_percent: 0, exploration_percent: 0, objective: "profit",
  }
  const at = start + learning.length * HOUR_MS
  const replayValue = (decided: (shopper: HillstromShopper) => number) =>
    evaluation.reduce((sum, shopper) => {
      const level = decided(shopper)
      const matched = level === args.arms.get(shopper.arm)
      return sum + (matched ? 3 * shopper[args.outcome] * args.basket * (args.margin - level) / 100 : 0)
    }, 0) / evaluation.length
  const values: Record<string, number> = {}
  for (const level of levels) values[`value_fixed_${level}`] = replayValue(() => level)
  if (args.noOfflineLearner) return values
  const { artifact } = trainResponseModel(examples(), `simulate-${seed}`)
  const model = responseModelFromEnsemble(artifact.reference as TreeEnsemble, artifact.version, artifact.featureSchema.map((feature) => feature.name))
  values.value_offline = replayValue((shopper) => {
    const context = { customerId: "s", basketValue: args.basket, marginPercent: args.margin, features: featuresAt(shopper, at) }
    return decideOffer(policy, context, model, 1, 0).chosen_percent
  })
  return values
}

/**
 * The throwaway store of the live part: a database named with "liveloop", migrated once; each seed is one
 * `medusa exec` of scripts/simulate/live-loop.ts (a fresh container, so no model or policy carries over).
 */
async function liveStore(args: Args) {
  const database = `uplift_liveloop_${process.pid}`
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "uplift-liveloop-"))
  const postgres = new Client({ connectionString: dbUrl("postgres") })
  await postgres.connect()
  await postgres.query(`drop database if exists ${database}`)
  await postgres.query(`create database ${database}`)
  dropIfInterrupted(database, Boolean(process.env.SIMULATE_KEEP_DB))
  const redisUrl = process.env.UPLIFT_REDIS_URL || process.env.REDIS_URL || ""
  if (!redisUrl) log("no UPLIFT_REDIS_URL / REDIS_URL: the plugin's queues run in-process instead of on BullMQ")
  const env = storeEnv(dbUrl(database), {
    UPLIFT_REDIS_URL: redisUrl,
    UPLIFT_QUEUE_PREFIX: `{uplift-liveloop-${process.pid}}`,
    // zip_code and channel are profile attributes; the cart's region, sales channel and customer groups say nothing here.
    UPLIFT_PROFILE_ATTRIBUTES: "zip_code,channel",
    UPLIFT_OFFER_ATTRIBUTES: "",
    LOG_LEVEL: "warn",
  })
  const catalogFile = path.join(work, "catalog.json")
  let server: ReturnType<typeof startServer> | undefined
  const started = Date.now()
  await medusa(["db:migrate"], ROOT, env, path.join(work, "migrate.log"))
  log(`database ${database} migrated in ${((Date.now() - started) / 1000).toFixed(0)} s`)
  return {
    async runSeed(csv: string, seed: number): Promise<LiveResult> {
      const out = path.join(work, `seed-${seed}.json`)
      const config: LiveConfig = {
        csv, seed, arms: [...args.arms], outcome: args.outcome, basket: args.basket, margin: args.margin, limit: args.limit,
        retrainEvery: args.retrainEvery, exploration: args.exploration, coldStart: args.coldStart, concurrency: args.concurrency,
      }
      await execToStderr(["exec", "./scripts/simulate/live-loop.ts"], { ...env, SIM_CONFIG: JSON.stringify(config), SIM_OUT: out, SIM_CATALOG: catalogFile })
      return JSON.parse(fs.readFileSync(out, "utf8"))
    },
    /** N new shoppers through the Store API against the last seed's policy and model. */
    async httpSmoke(count: number): Promise<{ ok: number; offers: number }> {
      const catalog = JSON.parse(fs.readFileSync(catalogFile, "utf8"))
      server = startServer("simulate", ROOT, env, await freePort(), path.join(work, "server.log"))
      await waitHealthy(server)
      let ok = 0
      let offers = 0
      for (let k = 0; k < count; k++) {
        try {
          const headers = await registerShopper(server.url, catalog.publishableKey, { email: `liveloop-${process.pid}-${k}@uplift.test`, password: "simulate-password" })
          const { cart } = await call(server.url, "POST", "/store/carts", { region_id: catalog.regionId, sales_channel_id: catalog.salesChannelId }, headers)
          const { cart: answered } = await call(server.url, "POST", `/store/carts/${cart.id}/line-items`, { variant_id: catalog.basketVariantId, quantity: 1 }, headers)
          const shown = (answered.promotions ?? []).map((promotion: any) => promotion.code).filter((code: string) => /^YOUR-\d+-OFF$/.test(code))
          const { offers: open } = await call(server.url, "GET", "/store/customers/me/offers", undefined, headers)
          const expected = (open ?? []).filter((offer: any) => offer.status === undefined || offer.status === "active").map((offer: any) => `YOUR-${Number(offer.discount_percent)}-OFF`)
          if (JSON.stringify(shown.sort()) === JSON.stringify(expected.sort())) ok++
          else log(`http shopper ${k}: the add response shows ${JSON.stringify(shown)}, the shopper's offers are ${JSON.stringify(expected)}`)
          if (shown.length) offers++
        } catch (error) {
          log(`http shopper ${k}: ${(error as Error).message}`)
        }
      }
      return { ok, offers }
    },
    async close() {
      stopServer(server)
      if (server) await sleep(1_500)
      if (!process.env.SIMULATE_KEEP_DB) await dropDatabase(postgres, database)
      await postgres.end().catch(() => undefined)
      fs.rmSync(work, { recursive: true, force: true })
    },
  }
}

/** `medusa <args>`, its output on this process's stderr (stdout holds only the figures). */
function execToStderr(cliArgs: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/medusa"), cliArgs, { cwd: ROOT, env, stdio: ["ignore", 2, 2] })
    child.on("error", reject)
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`medusa ${cliArgs.join(" ")} exited ${code}`))))
  })
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
