import * as fs from "fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId } from "@medusajs/framework/utils"
import { createProductCategoriesWorkflow, createProductsWorkflow } from "@medusajs/medusa/core-flows"
import type { Knex } from "knex"
import { readCsv } from "../../src/ml/data/csv"
import { createStoreBasics, StoreBasics } from "../../src/demo/store-setup"
import { UPLIFT_MODULE } from "../../src/modules/uplift"
import type UpliftModuleService from "../../src/modules/uplift/service"
import { DISCOUNTS_MODULE } from "../../src/modules/discounts"
import type DiscountsModuleService from "../../src/modules/discounts/service"
import { createDiscountPolicyWorkflow, updateDiscountPolicyWorkflow } from "../../src/workflows/discounts/policy-workflows"
import { DecisionCart, loadDecisionContext } from "../../src/workflows/discounts/decision/decision-context"
import { decidePersonalOffer } from "../../src/workflows/discounts/decision/decide-personal-offer"
import { shopperFeatures } from "../../src/workflows/discounts/decision/shopper-features"
import { drawOffer } from "../../src/workflows/discounts/decision/draw-offer"
import { loadBasket } from "../../src/workflows/discounts/basket"
import { offerFeatures } from "../../src/ml/decision/offer-features"
import { hillstromFeatureInput, hillstromShoppers, HillstromShopper } from "../eval/hillstrom-shoppers"
import { splitHalves } from "./split"
import { trainingInputs } from "../../src/workflows/ml/training-inputs"

/**
 * `medusa exec` script of `npm run simulate` (scripts/simulate.ts starts it, once per seed, against a
 * throwaway database): the live learning loop of one seed through the Medusa container.
 *
 * Every Hillstrom row is a shopper whose past purchase (recency, `history`, mens/womens category) and
 * profile (sign-up when not a newbie; zip_code and channel as profile attributes) are seeded the way the
 * live feature builder reads them. The policy (strategy model, ladder = the mapped levels, objective profit,
 * the given exploration, no model yet) is created by the plugin's workflow. Learning half, in random order:
 * the plugin's decision (loadDecisionContext + decidePersonalOffer: reads, draw, log and issue) for a
 * one-line cart of `basket` at `margin`; a level other than the logged arm discards the decision and its
 * offer (replay); otherwise the logged outcome happens: a purchase as the order path records it (an
 * interaction, and the offer redeemed) or none. Every `retrainEvery` shoppers (and at the end) the window's
 * records are aged by AGE_DAYS, so that its 7-day attribution windows have closed, and a training run goes
 * through the BullMQ training queue to the registry (champion/challenger promotion as in production).
 * Evaluation half: the policy at exploration 0 draws (drawOffer) on the live features of each shopper with
 * the model the registry serves; the replay value is 3 x [decided = logged] x outcome x basket x
 * (margin - level) / 100 per shopper.
 *
 * env SIM_CONFIG (JSON: LiveConfig), SIM_OUT (the result, JSON), SIM_CATALOG (store and products, created
 * once and reused by later seeds).
 */

export interface LiveConfig {
  csv: string
  arms: [string, number][]
  outcome: "visit" | "conversion"
  basket: number
  margin: number
  seed: number
  limit: number | null
  retrainEvery: number
  exploration: number
  /** The policy's cold start setting (absent: no_discount). */
  coldStart?: "no_discount" | "prior" | "explore"
  concurrency: number
}

export interface LiveResult {
  seed: number
  value_per_shopper: number
  learning_shoppers: number
  matched: number
  runs: { after: number; outcome: string; version: string | null; seconds: number }[]
  served_version: string | null
  evaluation_shoppers: number
  live_matches_offline_features: number
  seconds: { seed: number; learn: number; train: number; evaluate: number }
}

interface Catalog extends StoreBasics {
  basketVariantId: string
  basketCost: number
  basketProductId: string
  /** History products by category set: "Mens", "Womens", "Mens+Womens", "". */
  historyProducts: Record<string, string>
}

const DAY_MS = 86_400_000
/** Past the 7-day attribution window of the training set (src/modules/uplift/training/training-sets.ts). */
const AGE_DAYS = 8
const OUTCOME_AFTER_MS = 3_600_000
const PLUGIN_TABLES = ["uplift_interaction", "uplift_customer_profile", "uplift_offer_decision", "uplift_personal_offer", "uplift_model_version", "uplift_training_run"]
const log = (message: string) => console.error(`[simulate live] ${message}`)

export default async function liveLoop({ container }: ExecArgs) {
  const config = JSON.parse(process.env.SIM_CONFIG ?? "") as LiveConfig
  const uplift = container.resolve<UpliftModuleService>(UPLIFT_MODULE)
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const pg = container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION)
  if (!uplift.trainingQueue?.usesRedis) log("no Redis for the plugin's queues (UPLIFT_REDIS_URL): training runs in-process, not through BullMQ")
  // `medusa exec` runs as a server process (no workers): this process is also the training worker.
  uplift.trainingQueue?.startProcessing((name, data) => uplift.processJob(name, data), { runWorker: true })

  const started = Date.now()
  const catalog = await ensureCatalog(container, config)
  await pg.raw(`truncate ${PLUGIN_TABLES.join(", ")}`)
  await pg("uplift_discount_policy").update({ status: "paused" })
  discounts.forgetLivePolicies()

  const arms = new Map(config.arms)
  let shoppers = hillstromShoppers(readCsv(config.csv)).filter((shopper) => arms.has(shopper.arm))
  if (config.limit) shoppers = shoppers.slice(0, config.limit)
  const { learning, evaluation } = splitHalves(shoppers, config.seed)
  const idOf = new Map<HillstromShopper, string>(shoppers.map((shopper, index) => [shopper, `hill_${config.seed}_${index}`]))
  const seededAt = Date.now()
  await seedShoppers(uplift, pg, catalog, shoppers, idOf, seededAt)
  log(`seed ${config.seed}: ${shoppers.length} shoppers seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`)

  const levels = [...new Set(arms.values())].sort((a, b) => a - b)
  const { result: policy } = await createDiscountPolicyWorkflow(container).run({
    input: {
      name: `Hillstrom replay seed ${config.seed}`,
      status: "active",
      strategy: "model",
      rounds: ["first_order", "repeat", "win_back"],
      ladder: levels.filter((level) => level > 0),
      max_discount_percent: 100,
      min_margin_percent: 0,
      holdout_percent: 0,
      exploration_percent: config.exploration,
      objective: "profit",
      cold_start: config.coldStart ?? "no_discount",
      per_customer_limit: 1_000_000,
      offer_ttl_hours: 72,
    },
  })

  const cartOf = (customerId: string): DecisionCart => ({
    id: `cart_${customerId}`,
    currency_code: catalog.currencyCode,
    region_id: catalog.regionId,
    // As the cart workflows hand it over: the line with its variant's metadata (the cost), so no variant read.
    items: [{ variant_id: catalog.basketVariantId, product_id: catalog.basketProductId, unit_price: config.basket, quantity: 1, variant: { metadata: { cost: catalog.basketCost } } }],
  })
  const runs: LiveResult["runs"] = []
  let matched = 0
  let trainSeconds = 0
  const learnStarted = Date.now()
  for (let from = 0; from < learning.length; from += config.retrainEvery) {
    const window = learning.slice(from, from + config.retrainEvery)
    const kept: string[] = []
    const discarded = { decisions: [] as string[], offers: [] as string[] }
    const windowStarted = Date.now()
    await inPool(window, config.concurrency, async (shopper) => {
      const customerId = idOf.get(shopper)!
      const context = await loadDecisionContext(container, cartOf(customerId), customerId, "cart")
      if (!context) throw new Error(`no decision for ${customerId}: the policy is not live or a decision stands`)
      const decided = await decidePersonalOffer(context)
      if (!decided.decision_id) throw new Error(`shopper ${customerId} is in no round of the policy`)
      const level = decided.chosen_percent ?? 0
      if (level !== arms.get(shopper.arm)) {
        // Replay: the logged arm is not what the policy chose, so this shopper never happened (deleted below,
        // before training; meanwhile no other shopper's decision reads it: no budget, fairness cap or offer limit).
        discarded.decisions.push(decided.decision_id)
        if (decided.offer) discarded.offers.push(decided.offer.id)
        return
      }
      kept.push(customerId)
      if (!shopper[config.outcome]) return
      await recordOrder(uplift, discounts, catalog, customerId, config.basket * (1 - level / 100), decided.offer)
    })
    const decidedSeconds = (Date.now() - windowStarted) / 1000
    for (let start = 0; start < discarded.decisions.length; start += 1_000) await discounts.deleteOfferDecisions(discarded.decisions.slice(start, start + 1_000))
    for (let start = 0; start < discarded.offers.length; start += 1_000) await discounts.deletePersonalOffers(discarded.offers.slice(start, start + 1_000))
    matched += kept.length
    await ageRecords(pg, kept, policy.id)
    const trainStarted = Date.now()
    // As the API and the schedule queue it: the logged decisions whose attribution window has closed travel with the job.
    const run = await uplift.registry.requestTraining("response", "api", await trainingInputs(container, "response"))
    const finished = await waitForRun(uplift, run.id)
    const seconds = (Date.now() - trainStarted) / 1000
    trainSeconds += seconds
    const version = finished.model_version_id ? (await uplift.listModelVersions({ id: finished.model_version_id }, { select: ["version"] }))[0]?.version ?? null : null
    runs.push({ after: from + window.length, outcome: finished.outcome ?? finished.status, version, seconds: Math.round(seconds) })
    log(`seed ${config.seed}: ${from + window.length}/${learning.length} learning shoppers, ${matched} matched; decided at ${(window.length / decidedSeconds).toFixed(0)}/s; training ${finished.outcome ?? finished.status} ${version ?? ""} (${seconds.toFixed(0)} s)`)
  }
  const learnSeconds = (Date.now() - learnStarted) / 1000 - trainSeconds

  // Evaluation: the same policy at exploration 0, drawing on live features with the model being served.
  await updateDiscountPolicyWorkflow(container).run({ input: { id: policy.id, exploration_percent: 0 } })
  const [live] = await discounts.livePolicies()
  const model = await uplift.registry.activeResponseModel()
  const basket = await loadBasket(container, cartOf("evaluation").items)
  const evalStarted = Date.now()
  let value = 0
  let sameFeatures = 0
  await inPool(evaluation, config.concurrency, async (shopper) => {
    const customerId = idOf.get(shopper)!
    const history = await uplift.offerHistory(customerId)
    const now = Date.now()
    const features = await shopperFeatures(container, cartOf(customerId), customerId, history, basket, uplift.options.offerAttributes, now)
    const level = drawOffer(live, customerId, basket, features, model).decision.chosen_percent
    if (level === arms.get(shopper.arm)) value += (3 * shopper[config.outcome] * config.basket * (config.margin - level)) / 100
    if (sameRow(features, offerFeatures(hillstromFeatureInput(shopper, now, config.basket)))) sameFeatures++
  })
  // The policy goes on exploring as configured (the --http smoke check meets it so).
  await updateDiscountPolicyWorkflow(container).run({ input: { id: policy.id, exploration_percent: config.exploration } })
  const result: LiveResult = {
    seed: config.seed,
    value_per_shopper: value / evaluation.length,
    learning_shoppers: learning.length,
    matched,
    runs,
    served_version: model?.version ?? null,
    evaluation_shoppers: evaluation.length,
    live_matches_offline_features: sameFeatures / evaluation.length,
    seconds: { seed: Math.round((Date.now() - started) / 1000), learn: Math.round(learnSeconds), train: Math.round(trainSeconds), evaluate: Math.round((Date.now() - evalStarted) / 1000) },
  }
  fs.writeFileSync(process.env.SIM_OUT ?? "", JSON.stringify(result))
}

/** The store, a product for the basket (priced `basket`, cost at `margin`) and one per category set of past purchases. */
async function ensureCatalog(container: MedusaContainer, config: LiveConfig): Promise<Catalog> {
  const file = process.env.SIM_CATALOG ?? ""
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"))
  const basics = await createStoreBasics(container, { name: "Hillstrom replay", currencyCode: "usd", countryCode: "us" })
  const { result: categories } = await createProductCategoriesWorkflow(container).run({
    input: { product_categories: ["Mens", "Womens"].map((name) => ({ name, handle: name.toLowerCase(), is_active: true })) },
  })
  const categoryId = new Map(categories.map((category) => [category.name, category.id]))
  const sets = ["Mens", "Womens", "Mens+Womens", ""]
  const product = (title: string, price: number, cost: number, names: string[]) => ({
    title,
    status: "published" as const,
    shipping_profile_id: basics.shippingProfileId,
    options: [{ title: "Size", values: ["One"] }],
    sales_channels: [{ id: basics.salesChannelId }],
    category_ids: names.map((name) => categoryId.get(name)!),
    variants: [{ title: "One", sku: `HILL-${title.replace(/\W+/g, "-")}`, manage_inventory: false, options: { Size: "One" }, prices: [{ currency_code: "usd", amount: price }], metadata: { cost } }],
  })
  const { result } = await createProductsWorkflow(container).run({
    input: {
      products: [
        product("Basket", config.basket, config.basket * (1 - config.margin / 100), []),
        ...sets.map((set) => product(`Past ${set || "uncategorised"}`, 50, 35, set ? set.split("+") : [])),
      ],
    },
  })
  const catalog: Catalog = {
    ...basics,
    basketProductId: result[0].id,
    basketVariantId: result[0].variants[0].id,
    basketCost: config.basket * (1 - config.margin / 100),
    historyProducts: Object.fromEntries(sets.map((set, index) => [set, result[index + 1].id])),
  }
  fs.writeFileSync(file, JSON.stringify(catalog))
  return catalog
}

/**
 * What the live features read, as the order and customer paths store it: one past purchase line `recency`
 * months ago worth `history` of a product in the shopper's categories, and the profile (sign-up 400 days ago
 * unless a newbie; zip_code and channel kept as profile attributes: option profileAttributes).
 */
async function seedShoppers(uplift: UpliftModuleService, pg: Knex, catalog: Catalog, shoppers: HillstromShopper[], idOf: Map<HillstromShopper, string>, at: number) {
  const purchases = shoppers.map((shopper) => {
    const customerId = idOf.get(shopper)!
    const [past] = hillstromFeatureInput(shopper, at, 0).purchases
    const set = [shopper.mens ? "Mens" : "", shopper.womens ? "Womens" : ""].filter(Boolean).join("+")
    return { dedupe_key: `hill:${customerId}:past`, kind: "purchase" as const, source: "seed" as const, customer_id: customerId, order_id: `order_${customerId}_past`, product_id: catalog.historyProducts[set], quantity: 1, value: past.value, currency_code: "usd", occurred_at: new Date(past.at) }
  })
  await uplift.recordInteractions(purchases as any)
  // The rows upsertCustomerProfile writes, inserted 1,000 at a time (one upsert per shopper takes minutes here).
  for (let start = 0; start < shoppers.length; start += 1_000) {
    const rows = shoppers.slice(start, start + 1_000).map((shopper) => {
      const { signedUpAt } = hillstromFeatureInput(shopper, at, 0)
      return {
        id: generateEntityId(undefined, "ucpr"),
        customer_id: idOf.get(shopper)!,
        email_hash: null,
        has_account: true,
        signed_up_at: signedUpAt === null ? null : new Date(signedUpAt),
        attributes: JSON.stringify(uplift.profileAttributes({ zip_code: shopper.zipCode, channel: shopper.channel })),
      }
    })
    await pg("uplift_customer_profile").insert(rows)
  }
}

/** The outcome as the order path records it: the purchase line (an interaction) and the offer it used, redeemed. */
async function recordOrder(uplift: UpliftModuleService, discounts: DiscountsModuleService, catalog: Catalog, customerId: string, paid: number, offer?: Record<string, any>) {
  const orderId = `order_${customerId}_replay`
  await uplift.recordInteractions([
    { dedupe_key: `hill:${customerId}:replay`, kind: "purchase", source: "event" as const, customer_id: customerId, order_id: orderId, product_id: catalog.basketProductId, quantity: 1, value: paid, currency_code: "usd", occurred_at: new Date(Date.now() + OUTCOME_AFTER_MS) } as any,
  ])
  if (offer) await discounts.redeemOffer({ order_id: orderId, cart_id: offer.cart_id ?? null, customer_id: customerId }, Number(offer.reserved_amount))
}

/**
 * Moves a window's shoppers AGE_DAYS back in time (their history, profile, decisions and outcomes alike, so
 * every feature stays what the decision saw): their attribution windows have closed when training reads them.
 */
async function ageRecords(pg: Knex, customerIds: string[], policyId: string) {
  if (!customerIds.length) return
  const shift = `interval '${AGE_DAYS} days'`
  for (let start = 0; start < customerIds.length; start += 5_000) {
    const ids = customerIds.slice(start, start + 5_000)
    await pg("uplift_offer_decision").where({ policy_id: policyId }).whereIn("customer_id", ids).update({ created_at: pg.raw(`created_at - ${shift}`) })
    await pg("uplift_interaction").whereIn("customer_id", ids).update({ occurred_at: pg.raw(`occurred_at - ${shift}`) })
    await pg("uplift_customer_profile").whereIn("customer_id", ids).update({ signed_up_at: pg.raw(`signed_up_at - ${shift}`) })
  }
}

async function waitForRun(uplift: UpliftModuleService, runId: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 30 * 60_000
  while (Date.now() < deadline) {
    const [run] = await uplift.listTrainingRuns({ id: runId })
    if (run && (run.status === "completed" || run.status === "failed")) return run
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`training run ${runId} did not finish within 30 minutes`)
}

/** Runs `work` for every item, at most `concurrency` at a time. */
async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++])
    })
  )
}


/** Same columns, values within a day of recency/tenure (the seeded history is minutes older than the draw). */
function sameRow(live: Record<string, number>, offline: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(live), ...Object.keys(offline)])
  for (const key of keys) {
    const tolerance = key === "recency_days" || key === "tenure_days" ? 1 : 1e-6
    if (!(Math.abs((live[key] ?? NaN) - (offline[key] ?? NaN)) <= tolerance)) return false
  }
  return true
}

