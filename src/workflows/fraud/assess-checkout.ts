import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules, generateEntityId } from "@medusajs/framework/utils"
import { hashIdentifier } from "../../lib/hashing"
import { CartPaymentSessions, capturesAtAuthorization, heldAutoCaptureRefused } from "../../modules/fraud/capture-at-authorization"
import { checkoutFraudFacts, fraudFeatureVector, LIVE_FRAUD_FEATURES } from "../../modules/fraud/model/features"
import { decide, Decision } from "../../modules/fraud/rules/evaluate"
import { applyNewAccountPolicy, isLoneNewAccount } from "../../modules/fraud/rules/new-account"
import { factsForSentSignals, RiskFact } from "../../modules/fraud/scoring/facts"
import type { ScoreResult } from "../../modules/fraud/scoring/scorer"
import type FraudModuleService from "../../modules/fraud/service"
import { CheckoutCart, identityKeys, signalValues } from "../../modules/fraud/signals/build"
import { toNumber } from "../../lib/numbers"
import { signalFacts } from "../../modules/fraud/signals/facts"
import { cleanDeviceId } from "../../modules/fraud/signals/identity"
import { UPLIFT_MODULE } from "../../modules/uplift"
import { isAuthenticatedShopper, requestClientSignals } from "../store-cart-requests"
import type UpliftModuleService from "../../modules/uplift/service"

export const MODEL_UNAVAILABLE = "risk model unavailable"

export interface CheckoutAssessment {
  id: string
  cart_id: string
  decision: Decision
  reason: string
  score: number | null
  model_version: string | null
  facts: RiskFact[]
}

/**
 * Assesses a checkout before the order exists: client signals, history and velocity, the fraud model and
 * the merchant's rules. Records the assessment (and a pending hold on `hold`); throws a NOT_ALLOWED
 * MedusaError on `block`, which completeCartWorkflow answers with a 400 and no order, and on `hold` when the
 * payment would be captured at authorization and the store refuses that (option heldAutoCapture "refuse").
 * Call it from your own completeCartWorkflow.hooks.validate handler if your app already has one.
 * Returns null when the cart was already completed or screening is switched off.
 */
export async function assessCheckout(container: MedusaContainer, cart: CheckoutCart & CartPaymentSessions, now = new Date()): Promise<CheckoutAssessment | null> {
  const started = await startCheckoutAssessment(container, cart, now)
  if (!started) return null
  await started.recorded
  return started.assessment
}

/**
 * assessCheckout without waiting for the record of a checkout it lets through: `recorded` settles when the
 * assessment (and a pending hold) is stored, and rejects when that failed. Whoever calls this must await
 * `recorded` before the payment is authorized (the plugin's beforePaymentAuthorization hook does), so a hold
 * exists before any capture and a failed write still stops the checkout. A refused checkout (block, or a
 * refused hold) is recorded before the error is thrown.
 */
export async function startCheckoutAssessment(
  container: MedusaContainer,
  cart: CheckoutCart & CartPaymentSessions,
  now = new Date()
): Promise<{ assessment: CheckoutAssessment; recorded: Promise<void> } | null> {
  const fraud = container.resolve<FraudModuleService>("upliftFraud")
  if (!fraud.enabled || cart.completed_at) return null
  const { assessment, recorded } = await evaluate(container, fraud, cart, now)
  if (assessment.decision === "block") {
    await recorded
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `This checkout was declined by the store's fraud screening (reference ${assessment.id}). The cart was not charged and can still be used; contact the store if you think this is a mistake.`
    )
  }
  if (assessment.decision === "hold" && fraud.options?.heldAutoCapture === "refuse" && capturesAtAuthorization(cart, fraud.options.autoCaptureProviders ?? [])) {
    await recorded
    throw heldAutoCaptureRefused(assessment.id)
  }
  return { assessment, recorded }
}

/**
 * Screens an order that did not come through a checkout (a converted draft order) like one. The order exists
 * already, so a `block` decision holds it for review instead. The assessment and hold are keyed by the order id.
 */
export async function assessPlacedOrder(container: MedusaContainer, order: CheckoutCart, now = new Date()): Promise<CheckoutAssessment | null> {
  const fraud = container.resolve<FraudModuleService>("upliftFraud")
  if (!fraud.enabled) return null
  const { assessment, recorded } = await evaluate(container, fraud, order, now, true)
  await recorded
  return assessment
}

/** The assessment, and its write started (settles when stored). */
async function evaluate(
  container: MedusaContainer,
  fraud: FraudModuleService,
  checkoutCart: CheckoutCart,
  now: Date,
  placed = false
): Promise<{ assessment: CheckoutAssessment; recorded: Promise<void> }> {
  let t = process.hrtime.bigint()
  const cart = asScreened(container, checkoutCart)
  const client = await fraud.clientSignal(cart.id, requestClientSignals(container, cart.id))
  const metadataDevice = cleanDeviceId(cart.metadata?.device_id)
  t = fraud.timePhase("client_signal_read", t)
  const hash = (value: string) => hashIdentifier(value, fraud.options.hashSalt)
  const keys = identityKeys(
    cart,
    { ip_hash: client?.ip_hash ?? null, device_hash: client?.device_hash ?? (metadataDevice ? hash(metadataDevice) : null) },
    hash
  )
  const total = toNumber(cart.total)
  const promotionIds = (cart.promotions ?? []).map((p) => p.id)
  const [history, rules, thresholds] = await Promise.all([
    timed(fraud, "history_velocity_query", fraud.checkoutHistory(keys, total, promotionIds, now)),
    fraud.activeRules(),
    fraud.thresholds(),
    // The current model keeps serving if the registry cannot be read.
    timed(fraud, "model_registry_check", adoptRetrainedModel(container, fraud).catch(() => undefined)),
  ])
  const { averageOrderValue, linked, model, linkedRedeemed, velocity } = history
  // Counted by the order module only at a customer's first screened checkout; their assessments carry it after.
  const orderCount = history.orderCount ?? (await timed(fraud, "customer_order_count_query", customerOrderCount(container, keys.customer_id)))
  t = fraud.timePhase("history_queries_together", t)
  const signupAt = cart.customer?.created_at ? new Date(cart.customer.created_at) : null
  const features = fraudFeatureVector(checkoutFraudFacts({ signupAt, now, purchaseValue: total, counts: model }))
  let scored: ScoreResult | null = null
  let modelError: string | null = null
  try {
    scored = await fraud.scorer.score(features)
  } catch (e) {
    modelError = e instanceof Error ? e.message : String(e)
  }
  t = fraud.timePhase("score", t)
  const signals = signalValues({
    cart,
    keys,
    now,
    orderCount,
    averageOrderValue,
    linked,
    linkedRedeemed,
    velocity,
    score: scored?.score ?? null,
  })
  const loneNewAccount = isLoneNewAccount(signals, model)
  let { decision, rule, reason } = applyNewAccountPolicy(decide(rules, signals, scored?.score ?? null, thresholds, hash), loneNewAccount)
  if (!scored && !rule) {
    // Fail safe: no score and no rule decided. Open a review hold, or block when the store fails closed.
    decision = fraud.failClosed ? "block" : "hold"
    reason = MODEL_UNAVAILABLE
  }
  if (placed && decision === "block") {
    decision = "hold"
    reason = `${reason}; the order was already placed, so it is held for review`
  }
  const facts: RiskFact[] = [
    ...(rule ? [{ code: "rule", sentiment: (rule.action === "allow" ? "positive" : "negative") as RiskFact["sentiment"], message: `Matched the store rule "${rule.name}" (${rule.action})` }] : []),
    ...(scored ? factsForSentSignals(scored.facts, { device: keys.device_hash !== null, ip: keys.ip_hash !== null }) : [{ code: "model_unavailable", sentiment: "neutral" as const, message: "The risk model was unavailable; the order needs a manual review" }]),
    ...signalFacts(signals),
    ...(loneNewAccount ? [{ code: "new_account", sentiment: "neutral" as const, message: "Brand-new account (under an hour old) with no other risk signal on its device, address or email: the score alone does not hold it" }] : []),
  ]
  t = fraud.timePhase("signals_rules_facts", t)
  const id = generateEntityId(undefined, "fasm")
  const writeStarted = t
  const recorded = fraud.recordAssessment({
    id,
    cart_id: cart.id,
    customer_id: keys.customer_id,
    email_hash: keys.email_hash,
    email_norm_hash: keys.email_norm_hash,
    ip_hash: keys.ip_hash,
    device_hash: keys.device_hash,
    address_hash: keys.address_hash,
    promotion_ids: promotionIds,
    amount: total,
    currency_code: cart.currency_code ?? null,
    score: scored?.score ?? null,
    probability: scored?.probability ?? null,
    model_version: scored?.version ?? fraud.scorer.version,
    model_engine: scored?.engine ?? null,
    model_error: modelError,
    decision,
    rule_id: rule?.id ?? null,
    reason,
    facts,
    signals,
    features: Object.fromEntries(LIVE_FRAUD_FEATURES.map((name, i) => [name, features[i]])),
  })
  void recorded.then(() => fraud.timePhase("assessment_hold_write", writeStarted), () => undefined)
  return { assessment: { id, cart_id: cart.id, decision, reason, score: scored?.score ?? null, model_version: scored?.version ?? null, facts }, recorded }
}

/** Times one of the parallel reads on its own (benchmarks' split of the added time). */
async function timed<T>(fraud: FraudModuleService, phase: string, work: Promise<T>): Promise<T> {
  const started = process.hrtime.bigint()
  const value = await work
  fraud.timePhase(phase, started)
  return value
}

/**
 * A store checkout by someone other than the cart's customer (a guest who typed a registered email) is
 * screened as a guest: the account's age and history are not theirs to borrow.
 */
function asScreened(container: MedusaContainer, cart: CheckoutCart): CheckoutCart {
  const customerId = cart.customer?.id ?? cart.customer_id
  return isAuthenticatedShopper(container, cart.id, customerId) === false ? { ...cart, customer_id: null, customer: null } : cart
}

async function customerOrderCount(container: MedusaContainer, customerId: string | null): Promise<number> {
  if (!customerId) return 0
  const [, count] = await container.resolve(Modules.ORDER).listAndCountOrders({ customer_id: customerId }, { select: ["id"], take: 1 })
  return count
}

/** Serves the fraud model retrained from the store's labels once the registry activates one. */
async function adoptRetrainedModel(container: MedusaContainer, fraud: FraudModuleService): Promise<void> {
  const registry = container.resolve<UpliftModuleService>(UPLIFT_MODULE).registry
  const activeId = await registry.activeVersionId("fraud")
  if (activeId && activeId !== fraud.scorer.adoptedVersionId) {
    const active = await registry.activeArtifact("fraud")
    if (active) await fraud.scorer.adopt(active.id, active.artifact)
  }
}
