import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"
import type { DecideOnceResult } from "../../../modules/discounts/service"
import { planItemOffer } from "../item-offers/plan-item-offer"
import type { DecisionContext } from "./decision-context"
import { eligiblePolicy } from "./eligible-policy"
import { startDecisionReads } from "./decision-reads"
import { drawOffer } from "./draw-offer"
import { applyFairnessLimit } from "./fairness-limit"
import { logAndIssue, logIneligible, offerToIssue } from "./log-and-issue"
import { shopperFeatures, shopperHistory } from "./shopper-features"

export interface PersonalOfferOutcome {
  decision_id?: string
  /** The customer's open offer after the decision: issued now, or by the request that won a race. */
  offer?: Record<string, any>
  chosen_percent?: number
  /** Whether this call issued the offer (false when it adopted the decision of a request that won a race). */
  issued?: boolean
  /** False when a racing request's decision stood and was adopted. */
  recorded?: boolean
  /**
   * With `context.deferClaim`: the claim still running (log the decision, issue its offer), while `offer` is
   * the provisional offer the draw issues if the claim makes it the customer's (none for level 0 or holdout).
   */
  claim?: Promise<PersonalOfferOutcome>
}

/**
 * Decides the customer's personal offer for this cart: eligibility (round, standing decision, risk) ->
 * draw (src/ml/decision) -> fairness -> item plan -> log and issue. Serves the cart request (inside the
 * promotion-context hook) and the scheduled rounds (abandoned carts) alike.
 */
export async function decidePersonalOffer(context: DecisionContext): Promise<PersonalOfferOutcome> {
  const { container, customerId } = context
  const uplift = container.resolve<UpliftModuleService>(UPLIFT_MODULE)
  const now = new Date()
  const started = performance.now()
  // Read side by side (started already when the cart request read ahead): the request waits for the slowest
  // read, not their sum. The purchase lines give both the round (order count, last order) and the features.
  const read = <T>(name: string, pending: Promise<T>): Promise<T> => pending.finally(() => (context.phases[`read_${name}`] = performance.now() - started))
  const reads = context.reads ?? startDecisionReads(container, customerId, context.basket)
  const [history, risk, basket, model] = await Promise.all([read("history", reads.history), read("risk", reads.risk), read("basket", reads.basket), reads.model])
  context.phases.reads = performance.now() - started
  const eligible = eligiblePolicy(context, shopperHistory(history), now)
  if (!eligible) return {}
  const { policy, round } = eligible
  if (risk) return outcome(await timed(context, () => logIneligible(context, policy, round, risk)))
  const drawStarted = performance.now()
  const shopper = await shopperFeatures(container, context.cart, customerId, history, basket, uplift.options.offerAttributes, now.getTime())
  const drawn = drawOffer(policy, customerId, basket, shopper, model)
  const { decision, fairnessValue } = await applyFairnessLimit(context.discounts, policy, context.cart, drawn.decision)
  context.phases.draw = performance.now() - drawStarted
  const features = drawn.features
  const itemPlan =
    policy.target === "items"
      ? await planItemOffer(container, policy as any, { ...context.cart, customer_id: customerId }, basket, decision, features, model, uplift.options.defaultMarginPercent)
      : null
  const drawnOffer = { decision, features, basket, fairnessValue, itemPlan }
  const claim = timed(context, () => logAndIssue(context, policy, round, drawnOffer)).then(outcome)
  if (context.deferClaim && !itemPlan) {
    const provisional = offerToIssue(context, policy, drawnOffer)
    return { offer: provisional && { ...provisional, policy_id: policy.id, status: "active", provisional: true }, chosen_percent: decision.chosen_percent, claim }
  }
  return await claim
}

async function timed<T>(context: DecisionContext, write: () => Promise<T>): Promise<T> {
  const started = performance.now()
  try {
    return await write()
  } finally {
    context.phases.log_issue = performance.now() - started
  }
}

function outcome(result: DecideOnceResult): PersonalOfferOutcome {
  return {
    decision_id: result.decision.id,
    offer: result.offer,
    chosen_percent: result.offer ? Number(result.offer.discount_percent) : 0,
    issued: result.recorded && Boolean(result.offer),
    recorded: result.recorded,
  }
}
