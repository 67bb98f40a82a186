import { DecisionOutcome, incrementalityReport, profitOf } from "../../ml/decision/incrementality"
import { compareLearnedPolicy, LearnedPolicyComparison } from "../../ml/decision/learned-policy"
import { allowedLevels } from "../../ml/decision/offer-decision"
import { offerTrainingRow } from "../../ml/decision/offer-features"
import type DiscountsModuleService from "../../modules/discounts/service"
import type UpliftModuleService from "../../modules/uplift/service"

const DAY = 86_400_000

/**
 * Joins each customer's first decision under the policy with the orders (net of cancellations and
 * returns) and redeemed discounts inside the attribution window. Only decisions whose window has closed by
 * `now` are compared (policyOutcomes); the others are counted in `open_windows` and wait.
 */
export async function buildPolicyReport(discounts: DiscountsModuleService, uplift: UpliftModuleService, policy: any, windowDays: number, now = Date.now()) {
  const decisions = await discounts.listOfferDecisions({ policy_id: policy.id, shadow: false }, { order: { created_at: "ASC" }, take: 100_000 })
  const customers = [...new Set(decisions.map((decision) => decision.customer_id))]
  const { lines: interactions, signedUpAt } = await uplift.customerLines(customers, ["purchase", "cancel", "return"])
  const offers = await discounts.listPersonalOffers({ policy_id: policy.id }, { take: 100_000 })
  const { outcomes, open } = policyOutcomes(decisions, interactions, offers, { now, windowDays, defaultMarginPercent: uplift.options.defaultMarginPercent })
  return {
    policy_id: policy.id,
    window_days: windowDays,
    ...incrementalityReport(outcomes),
    /**
     * Customers whose first decision is less than window_days old: whether they buy inside the window is not
     * known yet, so they count neither as purchases nor as non-purchases until it closes.
     */
    open_windows: { customers: open.length, next_closes_at: open.length ? new Date(Math.min(...open.map((at) => at + windowDays * DAY))).toISOString() : null },
    funnel: offerFunnel(decisions, offers),
    budget: policy.budget_amount === null ? null : { amount: policy.budget_amount, currency_code: policy.budget_currency_code, period: policy.budget_period, ...(await discounts.budgetUsage(policy)) },
    daily: dailySeries(outcomes),
    /** The same per decision week (Monday, UTC), closed weeks only: what the charts draw once the decisions span weeks. */
    weekly: weeklySeries(outcomes, windowDays, now),
    learned_policy: await learnedPolicy(uplift, policy, decisions, interactions, signedUpAt, outcomes),
  }
}

/**
 * The active response model judged as a policy on this policy's decisions it never learned from: those made
 * after the last decision of its training data (`data_to`) whose window has closed. Null without a model.
 */
async function learnedPolicy(
  uplift: UpliftModuleService,
  policy: any,
  decisions: LoggedDecision[],
  interactions: LoggedInteraction[],
  signedUp: Map<string, number | null>,
  outcomes: (DecisionOutcome & { customer_id: string; decided_at: Date })[]
): Promise<(LearnedPolicyComparison & { model_version: string; evaluated_after: string | null }) | null> {
  const model = await uplift.registry.activeResponseModel()
  if (!model) return null
  const [version] = await uplift.listModelVersions({ kind: "response", status: "active" }, { select: ["version", "data_to"], take: 1 })
  const after = version?.data_to ? new Date(version.data_to).getTime() : -Infinity
  const unseen = outcomes.filter((outcome) => outcome.decided_at.getTime() > after && outcome.group !== "ineligible")
  const firstDecision = new Map<string, LoggedDecision>()
  for (const decision of decisions) if (!firstDecision.has(decision.customer_id)) firstDecision.set(decision.customer_id, decision)
  const purchases = groupByCustomer(interactions.filter((row) => row.kind === "purchase"))
  const rows = unseen.map((outcome) => {
    const logged = (firstDecision.get(outcome.customer_id)?.features ?? {}) as Record<string, number>
    const history = (purchases.get(outcome.customer_id) ?? []).map((row) => ({ at: new Date(row.occurred_at).getTime(), orderId: row.order_id ?? null, value: Number(row.value), categories: [] }))
    const basket = Number(firstDecision.get(outcome.customer_id)?.basket_value ?? logged.basket_value ?? 0)
    return {
      features: offerTrainingRow({ at: outcome.decided_at.getTime(), features: { basket_value: basket, items: 1, ...logged } }, history, signedUp.get(outcome.customer_id) ?? null),
      chosen_percent: outcome.chosen_percent,
      propensity: outcome.propensity,
      profit: profitOf(outcome),
      basket_value: basket,
      margin_percent: outcome.margin_percent,
    }
  })
  const levels = allowedLevels(policy, uplift.options.defaultMarginPercent)
  return {
    model_version: model.version,
    evaluated_after: Number.isFinite(after) ? new Date(after).toISOString() : null,
    ...compareLearnedPolicy(rows, model, levels, policy.objective ?? "profit"),
  }
}

function groupByCustomer<T extends { customer_id: string | null }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    if (!row.customer_id) continue
    const group = groups.get(row.customer_id)
    if (group) group.push(row)
    else groups.set(row.customer_id, [row])
  }
  return groups
}

interface LoggedDecision {
  customer_id: string
  created_at: Date | string
  group: DecisionOutcome["group"]
  chosen_percent: number
  propensity: number
  candidates?: unknown
  margin_percent?: number | null
  features?: unknown
  basket_value?: number | null
}

interface LoggedInteraction {
  customer_id: string | null
  kind: string
  order_id?: string | null
  value: number
  occurred_at: Date | string
}

interface LoggedOffer {
  customer_id: string
  status: string
  order_id?: string | null
  redeemed_amount?: number | null
}

/**
 * Each customer's first decision (decisions in time order) with what they did inside its attribution window,
 * for the decisions whose window has closed by `now`. A decision whose window is still open is censored: left
 * out (its decision time is returned in `open`) whether or not the shopper has bought yet, since counting it
 * as a non-purchase would bias the latest days toward "no effect" and counting only early purchases toward
 * conversions.
 */
export function policyOutcomes(
  decisions: LoggedDecision[],
  interactions: LoggedInteraction[],
  offers: LoggedOffer[],
  { now, windowDays, defaultMarginPercent }: { now: number; windowDays: number; defaultMarginPercent: number }
): { outcomes: (DecisionOutcome & { customer_id: string; decided_at: Date })[]; open: number[] } {
  const firstByCustomer = new Map<string, LoggedDecision>()
  for (const decision of decisions) {
    if (!firstByCustomer.has(decision.customer_id)) firstByCustomer.set(decision.customer_id, decision)
  }
  const open: number[] = []
  const outcomes: (DecisionOutcome & { customer_id: string; decided_at: Date })[] = []
  const interactionsOf = groupByCustomer(interactions)
  const offersOf = groupByCustomer(offers)
  for (const [customerId, decision] of firstByCustomer) {
    const from = new Date(decision.created_at).getTime()
    if (from + windowDays * DAY > now) {
      open.push(from)
      continue
    }
    const inWindow = (at: Date | string) => new Date(at).getTime() >= from && new Date(at).getTime() <= from + windowDays * DAY
    const mine = (interactionsOf.get(customerId) ?? []).filter((row) => inWindow(row.occurred_at))
    const sign = (kind: string) => (kind === "purchase" ? 1 : -1)
    const orders = new Set(mine.filter((row) => row.kind === "purchase").map((row) => row.order_id))
    const canceled = new Set(mine.filter((row) => row.kind === "cancel").map((row) => row.order_id))
    const discount = (offersOf.get(customerId) ?? [])
      .filter((offer) => offer.status === "redeemed" && !canceled.has(offer.order_id))
      .reduce((sum, offer) => sum + (offer.redeemed_amount ?? 0), 0)
    outcomes.push({
      customer_id: customerId,
      decided_at: new Date(decision.created_at),
      group: decision.group,
      chosen_percent: decision.chosen_percent,
      propensity: decision.propensity,
      candidates: (decision.candidates as DecisionOutcome["candidates"]) ?? [],
      orders: [...orders].filter((id) => !canceled.has(id)).length,
      value: Math.max(0, mine.reduce((sum, row) => sum + sign(row.kind) * row.value, 0)),
      discount,
      margin_percent: decision.margin_percent ?? defaultMarginPercent,
    })
  }
  return { outcomes, open }
}

/**
 * Decisions, offers issued, offers that reached a cart, offers redeemed. A redeemed offer was on the cart it was
 * redeemed with even where no cart is recorded (an offer redeemed before the plugin kept its cart, or replayed
 * history), so each stage counts within the one before it.
 */
export function offerFunnel(decisions: unknown[], offers: { cart_id?: string | null; status: string }[]) {
  const redeemed = (offer: { status: string }) => offer.status === "redeemed"
  return {
    decisions: decisions.length,
    offers_issued: offers.length,
    offers_on_carts: offers.filter((offer) => offer.cart_id || redeemed(offer)).length,
    offers_redeemed: offers.filter(redeemed).length,
  }
}

/** The Monday (UTC) of a decision's week, as YYYY-MM-DD. */
export function weekOf(at: Date): string {
  const monday = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - ((at.getUTCDay() + 6) % 7)))
  return monday.toISOString().slice(0, 10)
}

/**
 * Per decision week, only the weeks in which every decision's window has closed by `now`. The latest week would
 * otherwise be drawn from the few decisions of its first days whose window has closed, as if it were a whole week.
 */
export function weeklySeries(outcomes: (DecisionOutcome & { decided_at: Date })[], windowDays: number, now: number) {
  const closed = (monday: string) => new Date(`${monday}T00:00:00Z`).getTime() + (7 + windowDays) * DAY <= now
  return dailySeries(outcomes.filter((outcome) => closed(weekOf(outcome.decided_at))), weekOf)
}

/**
 * Per decision day (or the period `periodOf` names): treated and holdout profit per customer, their
 * difference and its total, for the charts.
 */
export function dailySeries(outcomes: (DecisionOutcome & { decided_at: Date })[], periodOf: (at: Date) => string = (at) => at.toISOString().slice(0, 10)) {
  const byDay = new Map<string, DecisionOutcome[]>()
  for (const outcome of outcomes) {
    const day = periodOf(outcome.decided_at)
    const rows = byDay.get(day)
    if (rows) rows.push(outcome)
    else byDay.set(day, [outcome])
  }
  return [...byDay.entries()].sort().map(([date, rows]) => {
    const report = incrementalityReport(rows)
    return {
      date,
      treated_profit_per_customer: report.treated.profit_per_customer,
      holdout_profit_per_customer: report.holdout.profit_per_customer,
      incremental_profit_per_customer: report.incremental_profit_per_customer.value,
      incremental_profit_per_customer_ci95: report.incremental_profit_per_customer.ci95,
      incremental_profit: report.incremental_profit.value,
      incremental_profit_ci95: report.incremental_profit.ci95,
      treated_conversion_rate: report.treated.conversion_rate,
      holdout_conversion_rate: report.holdout.conversion_rate,
      discount_cost: report.treated.discount_cost,
    }
  })
}
