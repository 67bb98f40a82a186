/**
 * The demo's "showcase": what makes the admin pages alive after `npm run demo`. Called at the end of
 * src/scripts/seed-demo.ts; skipped when the showcase policy already exists. Everything goes through the
 * real workflows and services (no fabricated rows):
 * - an active discount policy (createDiscountPolicyWorkflow);
 * - its past weeks: Hillstrom's randomized test replayed as its decision log, offers and purchases
 *   (showcase-replay.ts), and the response model trained on it as the nightly retrain had it
 *   RESPONSE_TRAINED_WEEKS_AGO weeks ago, so the report judges that model on the weeks it never saw;
 * - one fraud rule through the fraud service ("Hold orders over 60 USD");
 * - carts for SHOWCASE_CART_COUNT seeded customers with items they bought before, each decided by
 *   issuePersonalOfferWorkflow (holdout / explore / model decisions and offers);
 * - SHOWCASE_ORDER_COUNT of those carts checked out (payment collection, system payment session, shipping
 *   method, completeCartWorkflow), one of them large enough for the fraud rule to hold it;
 * - the propensity and recommender models trained and registered.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  addShippingMethodToCartWorkflow,
  completeCartWorkflow,
  createCartWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
} from "@medusajs/medusa/core-flows"
import { createDiscountPolicyWorkflow } from "../workflows/discounts/policy-workflows"
import { issuePersonalOfferWorkflow } from "../workflows/discounts/issue-personal-offer"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { FRAUD_MODULE } from "../modules/fraud"
import type FraudModuleService from "../modules/fraud/service"
import type UpliftModuleService from "../modules/uplift/service"
import { SHOPPER_REGISTRATION } from "../lib/shopper-context"
import { asValue } from "@medusajs/framework/awilix"
import { addressOf } from "../demo/addresses"
import { trainingInputs } from "../workflows/ml/training-inputs"
import { replayCustomers, replayHillstrom, REPLAY_WEEKS } from "./showcase-replay"

export const SHOWCASE_POLICY_NAME = "Demo: welcome back"
export const SHOWCASE_RULE_NAME = "Hold orders over 60 USD"
// 20 carts give the decisions list each path (holdout, exploration, model) and leave the seed's two cores to
// the recommender's fit, which is what the fresh seed waits for (40 carts took the seed 6.8 s longer than 20).
const SHOWCASE_CART_COUNT = Number(process.env.DEMO_SHOWCASE_CARTS || 20)
const SHOWCASE_ORDER_COUNT = Number(process.env.DEMO_SHOWCASE_ORDERS || 15)
const SHOWCASE_NEWCOMERS = 2
const HOLD_THRESHOLD = 60
const CONCURRENCY = 4
/** The response model of the showcase is the one a nightly retrain made this many weeks ago. */
const RESPONSE_TRAINED_WEEKS_AGO = 3
const WEEK_MS = 7 * 86_400_000

export interface ShowcaseInput {
  basics: { sales_channel_id: string; region_id: string; shipping_profile_id: string }
  currency: string
  country: string
  /** Purchase lines of the data: household, product (data id), quantity. */
  transactions: { household: string; product: string; quantity: number; salesValue: number }[]
  /** data product id -> variant id of the imported product. */
  variantIds: Map<string, string>
  /** data product id -> product id of the imported product. */
  productIds: Map<string, string>
  /** The data folder (hillstrom.csv for the replayed weeks). */
  dataDir: string
  /** household -> customer id */
  customerIds: Map<string, string>
  emailOf: (household: string) => string
  log: (message: string) => void
}

export async function ensureShowcase(container: MedusaContainer, input: ShowcaseInput): Promise<void> {
  const { log } = input
  const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const [existing] = await discounts.listDiscountPolicies({ name: SHOWCASE_POLICY_NAME }, { take: 1, select: ["id"] })
  if (existing) {
    log(`showcase exists (policy "${SHOWCASE_POLICY_NAME}")`)
    return
  }

  // The storefront recommender and the propensity model (one fit of the hybrid recommender on the imported
  // history and the catalog) train in a worker thread while the showcase's carts and checkouts run.
  const recommender = trainRecommenderAndPropensity(container, log)
  const { result: policy } = await createDiscountPolicyWorkflow(container).run({
    input: {
      name: SHOWCASE_POLICY_NAME,
      status: "active",
      strategy: "model",
      target: "order",
      rounds: ["first_order", "repeat", "win_back"],
      win_back_after_days: 60,
      // The levels of the replayed test (no e-mail, womens, mens: 0, 10, 15%): the levels its model knows.
      ladder: [10, 15],
      max_discount_percent: 15,
      min_margin_percent: 10,
      holdout_percent: 20,
      exploration_percent: 20,
      budget_amount: 500,
      budget_currency_code: input.currency,
      budget_period: "week",
    },
  })
  log(`showcase: policy "${SHOWCASE_POLICY_NAME}" (${(policy as any).id}) active`)

  await ensureFraudRule(container, log)

  const regulars = pickShoppers(input)
  const replayed = await replayHillstrom(container, {
    policyId: (policy as any).id,
    currency: input.currency,
    dataDir: input.dataDir,
    customers: replayCustomers(input.transactions, input.customerIds, input.productIds, new Set(regulars.map((shopper) => shopper.household))),
  })
  log(
    `showcase: ${REPLAY_WEEKS} weeks of Hillstrom's randomized test replayed (${replayed.decisions} decisions from ${replayed.from.toISOString().slice(0, 10)}, ` +
      `${replayed.offers} offers, ${replayed.purchases} purchases)`
  )
  // The response model as the nightly retrain had it RESPONSE_TRAINED_WEEKS_AGO weeks ago (decisions whose
  // window had closed then): trained in its thread while the carts below are decided and checked out.
  const response = trainModel(container, "response", log, new Date(Date.now() - RESPONSE_TRAINED_WEEKS_AGO * WEEK_MS))
  // Newcomers check out first, so they are among the orders placed.
  const shoppers = [...(await newcomers(container, input, regulars[0]?.lines ?? [])), ...regulars]
  const shippingOptionId = await shippingOption(container, input.basics.shipping_profile_id)
  const carts: { cartId: string; household: string; big: boolean }[] = []
  let finished = 0
  // The checkout that the fraud rule holds: the last cart to be completed, filled up past the threshold.
  const bigIndex = Math.min(SHOWCASE_ORDER_COUNT, shoppers.length) - 1
  await inParallel(shoppers.map((shopper, index) => ({ ...shopper, index })), CONCURRENCY, async (shopper) => {
    const address = addressOf(shopper.household, input.country)
    const big = shopper.index === bigIndex
    // Each household shops logged in, as a storefront's signed-in customer would.
    const { result: cart } = await createCartWorkflow(asShopper(container, shopper.customerId ?? null)).run({
      input: {
        region_id: input.basics.region_id,
        sales_channel_id: input.basics.sales_channel_id,
        customer_id: shopper.customerId,
        email: shopper.email,
        currency_code: input.currency,
        shipping_address: address,
        billing_address: address,
        items: shopper.lines.map((line, i) => ({
          variant_id: line.variantId,
          quantity: big && i === 0 ? Math.ceil((HOLD_THRESHOLD + 15) / Math.max(line.unitPrice, 0.5)) : 1,
        })),
        metadata: { medusa_uplift_demo: "showcase" },
      },
    })
    carts[shopper.index] = { cartId: cart.id, household: shopper.household, big }
    // The cart's creation decided inside the request; this decides only where that did not (a standing decision is kept).
    await issuePersonalOfferWorkflow(container).run({ input: { cart_id: cart.id } })
    finished += 1
    if (finished % 10 === 0) log(`showcase: carts ${finished}/${shoppers.length}`)
  })
  const customerIds = shoppers.map((shopper) => shopper.customerId).filter((id): id is string => Boolean(id))
  const [, decided] = await discounts.listAndCountOfferDecisions({ customer_id: customerIds }, { take: 1 })
  const [, offered] = await discounts.listAndCountPersonalOffers({ customer_id: customerIds }, { take: 1 })
  log(`showcase: ${shoppers.length} carts (${decided} decisions, ${offered} offers issued)`)

  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const toComplete = carts.filter(Boolean).slice(0, SHOWCASE_ORDER_COUNT)
  let completed = 0
  let held = 0
  await inParallel(toComplete, CONCURRENCY, async ({ cartId }) => {
    try {
      await addShippingMethodToCartWorkflow(container).run({ input: { cart_id: cartId, options: [{ id: shippingOptionId }] } })
      await createPaymentCollectionForCartWorkflow(container).run({ input: { cart_id: cartId } })
      const { data } = await query.graph({ entity: "cart", fields: ["payment_collection.id"], filters: { id: cartId } })
      const collectionId = (data[0] as any)?.payment_collection?.id
      await createPaymentSessionsWorkflow(container).run({ input: { payment_collection_id: collectionId, provider_id: "pp_system_default" } })
      const { result } = await completeCartWorkflow(container).run({ input: { id: cartId } })
      // What the order.placed subscriber does; done here too because `medusa exec` may end before the event is handled.
      await fraud.linkOrder(cartId, result.id)
      completed += 1
      // Counted from the hold itself: the order.placed subscriber may have linked it first.
      if (await fraud.openHold(result.id, cartId)) held += 1
    } catch (error) {
      log(`showcase: checkout of cart ${cartId} failed: ${(error as Error).message}`)
    }
  })
  log(`showcase: orders ${completed}/${toComplete.length} placed, ${held} held for fraud review`)

  await Promise.all([recommender, response])
}

async function ensureFraudRule(container: MedusaContainer, log: (message: string) => void): Promise<void> {
  const fraud = container.resolve<FraudModuleService>(FRAUD_MODULE)
  const [rule] = await fraud.listFraudRules({ name: SHOWCASE_RULE_NAME }, { take: 1, select: ["id"] })
  if (!rule) {
    await fraud.createFraudRules({
      name: SHOWCASE_RULE_NAME,
      enabled: true,
      priority: 0,
      action: "hold",
      conditions: [{ field: "order.total", operator: "gte", value: HOLD_THRESHOLD }],
    } as any)
    fraud.clearRuleCache()
  }
  log(`showcase: fraud rule "${SHOWCASE_RULE_NAME}"${rule ? " exists" : " created"}`)
}

/** One training run; `asOf` trains on what the store knew then (decisions whose window had closed by then). */
async function trainModel(container: MedusaContainer, model: "response", log: (message: string) => void, asOf?: Date): Promise<void> {
  const uplift = container.resolve<UpliftModuleService>("uplift")
  const started = Date.now()
  try {
    const { outcome } = await uplift.registry.trainNow(model, await trainingInputs(container, model, asOf))
    log(`showcase: ${model} model trained in ${((Date.now() - started) / 1000).toFixed(1)} s (${outcome})`)
  } catch (error) {
    log(`showcase: ${model} model not trained: ${(error as Error).message}`)
  }
}

async function trainRecommenderAndPropensity(container: MedusaContainer, log: (message: string) => void): Promise<void> {
  const uplift = container.resolve<UpliftModuleService>("uplift")
  const started = Date.now()
  try {
    const runs = await uplift.registry.trainRecommenderAndPropensityNow(await trainingInputs(container, "recommender"))
    const outcome = runs.recommender.error ? `failed: ${runs.recommender.error}` : `${runs.recommender.outcome}, the propensity model ${runs.propensity.outcome}`
    log(`showcase: recommender and propensity models trained in ${((Date.now() - started) / 1000).toFixed(1)} s (${outcome})`)
  } catch (error) {
    log(`showcase: recommender and propensity models not trained: ${(error as Error).message}`)
  }
}

interface Shopper {
  household: string
  customerId: string | undefined
  email: string
  lines: { variantId: string; unitPrice: number }[]
}

/**
 * Accounts opened just now that buy at once, as some genuine newcomers do: the fraud model scores such a
 * checkout high (the account age is its strongest signal), the tail of scores that real traffic has.
 */
async function newcomers(container: MedusaContainer, input: ShowcaseInput, lines: Shopper["lines"]): Promise<Shopper[]> {
  if (!lines.length || !SHOWCASE_NEWCOMERS) return []
  const emails = Array.from({ length: SHOWCASE_NEWCOMERS }, (_, i) => input.emailOf(`newcomer-${i + 1}`))
  const customers = await container.resolve(Modules.CUSTOMER).createCustomers(
    emails.map((email, i) => ({ email, first_name: "New", last_name: `shopper ${i + 1}`, has_account: true }))
  )
  return customers.map((customer, i) => ({ household: `newcomer-${i + 1}`, customerId: customer.id, email: customer.email!, lines: lines.slice(0, 1) }))
}

/** Households with the most purchase lines of imported products, each with their two most bought ones. */
function pickShoppers(input: ShowcaseInput): Shopper[] {
  const byHousehold = new Map<string, Map<string, { lines: number; price: number }>>()
  for (const row of input.transactions) {
    if (!input.variantIds.has(row.product) || row.quantity <= 0 || row.salesValue <= 0 || !input.customerIds.has(row.household)) {
      continue
    }
    const products = byHousehold.get(row.household) ?? new Map()
    const entry = products.get(row.product) ?? { lines: 0, price: row.salesValue / row.quantity }
    entry.lines += 1
    products.set(row.product, entry)
    byHousehold.set(row.household, products)
  }
  return [...byHousehold.entries()]
    .filter(([, products]) => products.size >= 2)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    // Spread over the households rather than the first ones: every n-th.
    .filter((_, index, all) => index % Math.max(1, Math.floor(all.length / SHOWCASE_CART_COUNT)) === 0)
    .slice(0, SHOWCASE_CART_COUNT)
    .map(([household, products]) => ({
      household,
      customerId: input.customerIds.get(household),
      email: input.emailOf(household),
      lines: [...products.entries()]
        .sort((a, b) => b[1].lines - a[1].lines || Number(a[0]) - Number(b[0]))
        .slice(0, 2)
        .map(([product, entry]) => ({ variantId: input.variantIds.get(product)!, unitPrice: entry.price })),
    }))
}

/** A scope of the container in which workflows run as a store request logged in as `customerId` would. */
function asShopper(container: MedusaContainer, customerId: string | null): MedusaContainer {
  const scope = container.createScope()
  scope.register(SHOPPER_REGISTRATION, asValue({ customerId }))
  return scope as MedusaContainer
}

async function shippingOption(container: MedusaContainer, shippingProfileId: string): Promise<string> {
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const [option] = await fulfillment.listShippingOptions({ shipping_profile_id: shippingProfileId }, { take: 1, select: ["id"] })
  if (!option) {
    throw new Error(`showcase: no shipping option for shipping profile ${shippingProfileId}`)
  }
  return option.id
}

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      await work(items[next++])
    }
  })
  await Promise.all(lanes)
}
