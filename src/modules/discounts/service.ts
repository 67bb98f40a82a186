import { MedusaService } from "@medusajs/framework/utils"
import { generateEntityId } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { DiscountPolicy } from "./models/discount-policy"
import { OfferDecision } from "./models/offer-decision"
import { PersonalOffer } from "./models/personal-offer"
import { ShopperCart } from "./models/shopper-cart"
import { budgetPeriodStart } from "./budget"
import { OfferCodes } from "./offer-codes"
import { ReadAheadHints } from "./read-ahead-hints"
import { DeferredClaims } from "./deferred-claims"
import type { UpliftOptions } from "../../lib/options"
import { propensityOfNoOffer } from "../../ml/decision/offer-decision"
import type { LoggedDecision } from "../../ml/training/response"
import { preparedQuery, preparedStatement } from "../../lib/prepared-statements"

type InjectedDependencies = { __pg_connection__: Knex; discountsOptions?: Pick<UpliftOptions, "offerCodePrefix"> }

export interface PolicyRecord {
  id: string
  status: string
  budget_amount: number | null
  budget_period: "day" | "week" | "month" | null
  per_customer_limit: number
  offer_ttl_hours: number
}

export interface IssueOfferInput {
  policy: PolicyRecord
  decision_id: string
  customer_id: string
  cart_id: string | null
  discount_percent: number
  reserved_amount: number
  currency_code: string | null
  reason: string
  /**
   * The policy's draw for this shopper, each level with its probability and the reservation it would take:
   * with it, a refused offer is logged as what the shopper got (0) with the probability of getting it.
   */
  levels?: DrawnLevel[]
}

export interface DrawnLevel {
  percent: number
  probability: number
  reserved_amount: number
}

export interface DecisionInput {
  policy_id: string
  customer_id: string
  cart_id: string | null
  round: string | null
  group: "holdout" | "explore" | "model" | "fixed" | "ineligible"
  chosen_percent: number
  propensity: number
  model_version: string
  features_digest?: string | null
  features?: unknown
  candidates?: unknown
  reasons?: unknown
  basket_value?: number
  margin_percent?: number | null
  shadow?: boolean
  fairness_value?: string | null
}

/** A policy row as the decision reads it (active or shadow). */
/** A decision of the past (its own decision time) and the offer it issued, if any: recordPastDecisions. */
export interface PastDecision {
  decision: DecisionInput & { created_at: Date }
  offer?: {
    discount_percent: number
    status: "redeemed" | "expired"
    reserved_amount: number
    redeemed_amount: number | null
    currency_code: string | null
    expires_at: Date
    order_id: string | null
    redeemed_at: Date | null
    reason: string | null
  }
}

export type LivePolicy = PolicyRecord & Record<string, any> & { ladder: number[]; rounds: string[] }

export interface DecideOnceResult {
  decision: Record<string, any>
  /** False when a decision already stood (another request won the race): its outcome is adopted. */
  recorded: boolean
  /** The customer's open offer under the policy afterwards (issued now, or by the winner of a race). */
  offer?: Record<string, any>
  refused?: "budget" | "per_customer_limit"
}

export type UsableOffer = Record<string, any> & { id: string; discount_percent: number; reserved_amount: number; cart_id: string | null; policy: any }

export type IssueOfferResult =
  | { offer: Record<string, any>; refused?: undefined }
  | { offer?: undefined; refused: "budget"; budget_left: number }
  | { offer?: undefined; refused: "per_customer_limit" }

const OFFERS = "uplift_personal_offer"
/** Rows per insert statement of recordPastDecisions (Postgres binds at most 65,535 parameters per statement). */
const PAST_INSERT_CHUNK = 2_000
const SHOPPER_CARTS = "uplift_shopper_cart"
/** How many remembered (cart, customer) pairs a process keeps to skip repeated writes. */
const REMEMBERED_CARTS_KEPT = 10_000
const DECISIONS = "uplift_offer_decision"
/** How long another process's policy change may take to reach this one's in-memory copy. */
const LIVE_POLICIES_TTL_MS = 2_000
/** A grown reservation takes 50% more than needed (within the budget), for the next items in the cart. */
const RESERVATION_HEADROOM = 1.5

class DiscountsModuleService extends MedusaService({ DiscountPolicy, PersonalOffer, OfferDecision, ShopperCart }) {
  protected readonly db_: Knex
  /** The tier promotions' codes, with the merchant's prefix (plugin option `offerCodePrefix`). */
  readonly offerCodes: OfferCodes
  private livePolicyCache?: { checkedAt: number; policies: Promise<LivePolicy[]> }
  private readonly rememberedShopperCarts = new Set<string>()
  /** What this process last saw of each shopper's offer lookup: what the cart request reads beside the next one. */
  readonly readAheadHints = new ReadAheadHints()
  readonly deferredClaims = new DeferredClaims()

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.db_ = deps.__pg_connection__
    this.offerCodes = new OfferCodes(deps.discountsOptions?.offerCodePrefix)
  }

  /**
   * Issues an offer if the budget and the per-customer limit allow it. The policy's advisory lock
   * serialises reservations, so parallel checkouts can never reserve more than the budget.
   */
  async issueOffer(input: IssueOfferInput): Promise<IssueOfferResult> {
    return this.db_.transaction((trx) => issueWithin(trx, input))
  }

  /**
   * Makes sure an offer's reservation covers what it would discount now. Free when it already does or the
   * policy has no budget (the common case on every cart update); otherwise it grows under the policy lock,
   * with headroom so that a growing cart does not take the lock on every add. False when the budget cannot
   * cover it.
   */
  async ensureReservation(offer: { id: string; reserved_amount: number }, policy: PolicyRecord, needed: number): Promise<boolean> {
    if (policy.budget_amount === null || policy.budget_amount === undefined || offer.reserved_amount >= needed) {
      return true
    }
    return this.db_.transaction(async (trx) => {
      await lockPolicy(trx, policy.id)
      const current = await trx(OFFERS).where({ id: offer.id }).whereIn("status", ["active", "claimed"]).first()
      if (!current) {
        return false
      }
      if (current.reserved_amount >= needed) {
        return true
      }
      const room = (policy.budget_amount as number) - (await spentInPeriod(trx, policy))
      if (room + 1e-9 < needed - current.reserved_amount) {
        return false
      }
      const target = Math.min(needed * RESERVATION_HEADROOM, current.reserved_amount + room)
      await trx(OFFERS).where({ id: offer.id }).update({ reserved_amount: target, updated_at: new Date() })
      return true
    })
  }


  /** Whether any policy decides at all (active or shadow). */
  async hasLivePolicies(): Promise<boolean> {
    return (await this.livePolicies()).length > 0
  }

  /**
   * Whether some live policy has no standing decision for this customer. A decision stands for the
   * policy's offer TTL whatever cart it was made on, so most cart updates need no decision at all.
   */
  async hasUndecidedPolicy(customerId: string): Promise<boolean> {
    const live = await this.livePolicies()
    return live.length > 0 && (await this.decidedPolicyIds(customerId, live.map((policy) => policy.id))).size < live.length
  }

  /**
   * The share of decisions with an offer per fairness group (`fairness_value`, "unknown" when none) among the
   * policy's decisions since `since`: one aggregate, whatever the number of decisions.
   */
  async offerRatesByFairnessGroup(policyId: string, since: Date): Promise<Record<string, number>> {
    const rows = await this.db_(DECISIONS)
      .where({ policy_id: policyId })
      .where("created_at", ">=", since)
      .whereNull("deleted_at")
      .groupByRaw("coalesce(fairness_value, 'unknown')")
      .select(this.db_.raw("coalesce(fairness_value, 'unknown') as grp"), this.db_.raw("(count(*) filter (where chosen_percent > 0))::float / count(*) as rate"))
    return Object.fromEntries(rows.map((row: { grp: string; rate: number }) => [row.grp, Number(row.rate)]))
  }

  /** Of these policies, those with a decision standing for the customer: one indexed read. */
  async decidedPolicyIds(customerId: string, policyIds: string[]): Promise<Set<string>> {
    if (!policyIds.length) return new Set()
    const rows = await standingDecisions(this.db_, customerId, policyIds).distinct("d.policy_id")
    return new Set(rows.map((row: { policy_id: string }) => row.policy_id))
  }

  /** The customer's decision under the policy made within its offer TTL, if any: it stands, no new draw. */
  async standingDecision(policyId: string, customerId: string): Promise<Record<string, any> | undefined> {
    return standingDecisions(this.db_, customerId, [policyId]).orderBy("d.created_at", "desc").select("d.*").first()
  }

  /**
   * Logs a decision unless one already stands for the customer under the policy. Serialised per customer
   * and policy, so concurrent updates of several carts log one decision (and draw once).
   */
  async recordDecision(data: DecisionInput): Promise<{ decision: Record<string, any>; recorded: boolean }> {
    const { decision, recorded } = await this.decideOnce(data)
    return { decision, recorded }
  }

  /**
   * Logs a decision and issues its offer once per customer and policy per offer TTL, whatever races: one
   * statement claims the decision (INSERT .. ON CONFLICT DO NOTHING on the decision it follows, unique per
   * customer and policy) and issues its offer (or logs the per-customer limit's refusal) from what it read
   * in the same snapshot. A request that lost the race gets the standing decision and its offer instead
   * (the winner's statement committed both at once). A policy with a budget takes its lock first, so that
   * parallel decisions never reserve more than the budget; a budget refusal is logged in that transaction.
   */
  async decideOnce(data: DecisionInput, issue?: Omit<IssueOfferInput, "decision_id">): Promise<DecideOnceResult> {
    const budgeted = issue !== undefined && isSet(issue.policy.budget_amount)
    const claimed = budgeted
      ? await this.db_.transaction(async (trx) => {
          await lockPolicy(trx, issue!.policy.id)
          const result = await claimDecision(trx, data, issue)
          return result.refused === "budget" ? refuseOverBudget(trx, data, issue!, result) : result
        })
      : await claimDecision(this.db_, data, issue)
    if (claimed.recorded || claimed.decision) return claimed
    // Lost to a racing request, which committed its decision and offer before this statement returned.
    const standing = await standingDecisions(this.db_, data.customer_id, [data.policy_id]).orderBy("d.created_at", "desc").select("d.*").first()
    return { decision: standing, recorded: false, offer: await openOffer(this.db_, data.policy_id, data.customer_id) }
  }

  /**
   * Live (active and shadow) policies, oldest first, kept in memory: every cart request reads them.
   * Policy writes through this service drop the copy at once; other processes see a change within 2 s.
   */
  async livePolicies(): Promise<LivePolicy[]> {
    const cached = this.livePolicyCache
    if (cached && Date.now() - cached.checkedAt <= LIVE_POLICIES_TTL_MS) {
      return cached.policies
    }
    const policies = this.listDiscountPolicies({ status: ["active", "shadow"] }, { order: { created_at: "ASC" } }) as unknown as Promise<LivePolicy[]>
    const fresh = { checkedAt: Date.now(), policies }
    this.livePolicyCache = fresh
    policies.catch(() => {
      if (this.livePolicyCache === fresh) this.livePolicyCache = undefined
    })
    return policies
  }

  /** Policy changes in this process are seen at once; other processes see them within 2 s. */
  forgetLivePolicies(): void {
    this.livePolicyCache = undefined
    this.readAheadHints.forget()
  }

  // Policy writes drop the in-memory copy of the live policies (the generated methods do the write).
  // @ts-expect-error the generated method's overloads
  async createDiscountPolicies(...args: any[]) {
    try {
      return await (super.createDiscountPolicies as any)(...args)
    } finally {
      this.forgetLivePolicies()
    }
  }

  // @ts-expect-error the generated method's overloads
  async updateDiscountPolicies(...args: any[]) {
    try {
      return await (super.updateDiscountPolicies as any)(...args)
    } finally {
      this.forgetLivePolicies()
    }
  }

  // @ts-expect-error the generated method's overloads
  async deleteDiscountPolicies(...args: any[]) {
    try {
      return await (super.deleteDiscountPolicies as any)(...args)
    } finally {
      this.forgetLivePolicies()
    }
  }

  /**
   * The customer's usable offer under an active policy, if any: an open one, or the one a checkout of this
   * cart has claimed. An offer claimed by another cart is nobody else's to use.
   */
  async findUsableOffer(customerId: string, cartId?: string | null): Promise<UsableOffer | undefined> {
    return usableOffer(this.db_, customerId, cartId)
  }

  /**
   * In one read, what every cart update of a logged-in shopper asks: the customer's usable offer (as
   * findUsableOffer) and, of the live policies, those with a decision standing for them (as
   * decidedPolicyIds), so that a shopper without an offer needs no second read to know whether to decide.
   */
  async usableOfferAndDecided(customerId: string, cartId: string | null | undefined, policyIds: string[]): Promise<{ offer?: UsableOffer; decided: Set<string> }> {
    const [row] = await usableOfferAndDecidedStatement(this.db_, [customerId, cartId ?? null, new Date(), policyIds])
    return { offer: row.offer ? (offerRow(row.offer) as UsableOffer) : undefined, decided: new Set(row.decided) }
  }

  /**
   * Claims an open offer for one cart's checkout: one conditional UPDATE, so of two carts completing at
   * once exactly one gets it. Returns the claimed offer, or undefined when it is no longer open.
   */
  async claimOffer(offerId: string, cartId: string): Promise<Record<string, any> | undefined> {
    const [claimed] = await this.db_(OFFERS)
      .where({ id: offerId, status: "active" })
      .where("expires_at", ">", new Date())
      .whereNull("deleted_at")
      .update({ status: "claimed", cart_id: cartId, claimed_at: new Date(), updated_at: new Date() })
      .returning("*")
    return claimed
  }

  /** Gives a claim back when its checkout failed after claiming (compensation); the offer is open again. */
  async releaseClaim(offerId: string, cartId: string, previousCartId: string | null): Promise<void> {
    await this.db_(OFFERS)
      .where({ id: offerId, status: "claimed", cart_id: cartId })
      .update({ status: "active", cart_id: previousCartId, claimed_at: null, updated_at: new Date() })
  }

  /** Claims made before `before`: a checkout lasts seconds, so these were left by a process that died mid-checkout. */
  async claimsOlderThan(before: Date): Promise<Record<string, any>[]> {
    return this.db_(OFFERS).where({ status: "claimed" }).where("claimed_at", "<", before).whereNull("deleted_at")
  }

  /**
   * Settles the offer an order used: the one its cart claimed at checkout (or, when the store's own
   * checkout hook does not claim, the customer's usable offer, claimed now). Marks that one offer
   * `redeemed`, or `held` while fraud review holds the order; idempotent for a re-delivered event.
   */
  async redeemOffer(
    order: { order_id: string; cart_id: string | null; customer_id: string },
    amount: number,
    held = false
  ): Promise<Record<string, any> | undefined> {
    return this.db_.transaction(async (trx) => {
      // order.placed may be delivered more than once, even concurrently
      await advisoryLock(trx, `uplift-redeem:${order.order_id}`)
      const settled = await trx(OFFERS).where({ order_id: order.order_id }).whereIn("status", ["held", "redeemed"]).first()
      if (settled) {
        return settled
      }
      const used = order.cart_id
        ? (await trx(OFFERS).where({ cart_id: order.cart_id, status: "claimed" }).whereNull("deleted_at").first()) ??
          (await usableOffer(trx, order.customer_id, order.cart_id))
        : undefined
      if (!used) {
        return undefined
      }
      const [offer] = await trx(OFFERS)
        .where({ id: used.id })
        .whereIn("status", ["active", "claimed"])
        .update({
          status: held ? "held" : "redeemed",
          cart_id: order.cart_id,
          order_id: order.order_id,
          redeemed_amount: amount,
          redeemed_at: held ? null : new Date(),
          updated_at: new Date(),
        })
        .returning("*")
      return offer
    })
  }

  /** Settles an offer held with its order: redeemed on release, revoked (budget back) on rejection. */
  async settleHeldOffer(orderId: string, outcome: "released" | "rejected"): Promise<Record<string, any> | undefined> {
    const update =
      outcome === "released"
        ? { status: "redeemed", redeemed_at: new Date() }
        : { status: "revoked", revoked_reason: "order rejected by fraud review", redeemed_amount: null, reserved_amount: 0 }
    const [offer] = await this.db_(OFFERS)
      .where({ order_id: orderId, status: "held" })
      .update({ ...update, updated_at: new Date() })
      .returning("*")
    return offer
  }

  /** Revokes open offers (policy paused, customer ineligible); returns the carts to refresh. */
  async revokeOffers(filter: { policy_id?: string; customer_id?: string }, reason: string): Promise<Record<string, any>[]> {
    return this.db_(OFFERS)
      .where({ ...filter, status: "active" })
      .whereNull("deleted_at")
      .update({ status: "revoked", revoked_reason: reason, updated_at: new Date() })
      .returning("*")
  }

  /** After a first order placed without the offer, the customer no longer qualifies for first-order offers. */
  async revokeFirstOrderOffers(customerId: string): Promise<Record<string, any>[]> {
    return this.db_(OFFERS)
      .where({ customer_id: customerId, status: "active" })
      .whereIn("decision_id", this.db_("uplift_offer_decision").select("id").where({ round: "first_order" }))
      .update({ status: "revoked", revoked_reason: "customer no longer eligible", updated_at: new Date() })
      .returning("*")
  }

  async expireOffers(now = new Date()): Promise<Record<string, any>[]> {
    return this.db_(OFFERS)
      .where({ status: "active" })
      .where("expires_at", "<=", now)
      .update({ status: "expired", revoked_reason: "expired", updated_at: new Date() })
      .returning("*")
  }

  async budgetSpent(policy: PolicyRecord): Promise<number> {
    return spentInPeriod(this.db_, policy)
  }

  /** Records that `cartId` was used in a store request authenticated as `customerId`. */
  async rememberShopperCart(cartId: string, customerId: string): Promise<void> {
    const key = `${cartId}:${customerId}`
    if (this.rememberedShopperCarts.has(key)) return
    await this.db_.raw(
      `insert into ${SHOPPER_CARTS} (id, cart_id, customer_id) values (?, ?, ?)
       on conflict (cart_id, customer_id) where deleted_at is null do nothing`,
      [generateEntityId(undefined, "ushcart"), cartId, customerId]
    )
    if (this.rememberedShopperCarts.size >= REMEMBERED_CARTS_KEPT) this.rememberedShopperCarts.clear()
    this.rememberedShopperCarts.add(key)
  }

  /** Whether `cartId` was ever used in a store request authenticated as `customerId`. */
  async isShopperCart(cartId: string, customerId: string): Promise<boolean> {
    if (this.rememberedShopperCarts.has(`${cartId}:${customerId}`)) return true
    const row = await this.db_(SHOPPER_CARTS).where({ cart_id: cartId, customer_id: customerId }).whereNull("deleted_at").first("id")
    return Boolean(row)
  }

  /** The current period's budget use split into redeemed discount and reservations of open offers. */
  async budgetUsage(policy: PolicyRecord): Promise<BudgetUsage> {
    return usageInPeriod(this.db_, policy)
  }

  /**
   * The logged decisions the response model learns from: served (not shadow), eligible, not erased, and
   * taken before `before` (the caller passes the start of the attribution window still open).
   */
  /**
   * Decisions of the past with their offers, in one transaction of one insert per table (a replayed or
   * imported decision log: the demo's showcase). Each keeps its own `created_at`; an offer is tied to the
   * decision it belongs to. Returns the decision ids in input order.
   */
  async recordPastDecisions(entries: PastDecision[]): Promise<string[]> {
    if (!entries.length) return []
    const ids = entries.map(() => generateEntityId(undefined, "udec"))
    const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value))
    await this.db_.transaction(async (trx) => {
      const decisions = entries.map(({ decision }, i) => ({
        ...decision,
        id: ids[i],
        features: json(decision.features),
        candidates: json(decision.candidates),
        reasons: json(decision.reasons),
        updated_at: decision.created_at,
      }))
      for (let start = 0; start < decisions.length; start += PAST_INSERT_CHUNK) await trx(DECISIONS).insert(decisions.slice(start, start + PAST_INSERT_CHUNK))
      const offers = entries.flatMap(({ decision, offer }, i) =>
        offer ? [{ ...offer, id: generateEntityId(undefined, "uoffer"), decision_id: ids[i], policy_id: decision.policy_id, customer_id: decision.customer_id, created_at: decision.created_at, updated_at: decision.created_at }] : []
      )
      for (let start = 0; start < offers.length; start += PAST_INSERT_CHUNK) await trx(OFFERS).insert(offers.slice(start, start + PAST_INSERT_CHUNK))
    })
    return ids
  }

  async loggedDecisionsBefore(before: Date): Promise<LoggedDecision[]> {
    const rows = await this.db_(DECISIONS)
      .where({ shadow: false })
      .whereNull("deleted_at")
      .whereNot("group", "ineligible")
      .where("created_at", "<", before)
      .select("customer_id", "created_at", "chosen_percent", "propensity", "basket_value", "margin_percent", "features")
    return rows.map((row: any) => ({
      customer_id: row.customer_id,
      created_at: new Date(row.created_at).toISOString(),
      chosen_percent: Number(row.chosen_percent),
      propensity: Number(row.propensity),
      basket_value: Number(row.basket_value),
      margin_percent: row.margin_percent === null || row.margin_percent === undefined ? null : Number(row.margin_percent),
      features: row.features ?? null,
    }))
  }

  async eraseCustomer(customerId: string): Promise<void> {
    await this.db_(SHOPPER_CARTS).where({ customer_id: customerId }).delete()
    for (const key of this.rememberedShopperCarts) if (key.endsWith(`:${customerId}`)) this.rememberedShopperCarts.delete(key)
    await this.db_(OFFERS).where({ customer_id: customerId }).delete()
    await this.db_(DECISIONS).where({ customer_id: customerId }).delete()
  }
}

const DECISION_COLUMNS = [
  "id", "policy_id", "customer_id", "cart_id", "round", "group", "chosen_percent", "propensity", "model_version", "features_digest",
  "features", "candidates", "reasons", "basket_value", "margin_percent", "shadow", "fairness_value",
] as const
const OFFER_COLUMNS = [
  "id", "policy_id", "decision_id", "customer_id", "cart_id", "discount_percent", "reserved_amount", "currency_code", "expires_at", "reason", "status",
] as const
const LIMIT_REFUSAL = "The customer reached the policy's offer limit."
const BUDGET_REFUSAL = "Budget for this period is used up."

type ClaimResult = DecideOnceResult & { budgetLeft?: number }

/**
 * The decision's one statement: reads the standing decision, the decision it would follow (its claim key)
 * and the customer's offers under the policy, then inserts the decision unless one stands or a racing
 * request inserted one with the same claim key (unique index: that request's insert wins, this one waits for
 * its commit and inserts nothing), and the offer when the decision is inserted and the open offer, the
 * per-customer limit and the budget (read after the policy lock) allow it. A decision the limit refuses is
 * logged as level 0 in the same insert. Returns the inserted or visible standing decision, or none (lost).
 */
async function claimDecision(db: Knex, data: DecisionInput, issue?: Omit<IssueOfferInput, "decision_id">): Promise<ClaimResult> {
  const row: Record<string, unknown> = { ...data, id: generateEntityId(undefined, "udec") }
  if (issue && row.reasons === undefined) row.reasons = null
  // Columns the caller left out take their defaults, as an insert without them would.
  const inserted = [...DECISION_COLUMNS.filter((column) => row[column] !== undefined), "claim_key"]
  const limitRefused = issue ? { propensity: refusedPropensity(issue, { refused: "per_customer_limit" }) } : undefined
  const offer = issue
    ? {
        id: generateEntityId(undefined, "uoffer"),
        policy_id: issue.policy.id,
        customer_id: issue.customer_id,
        cart_id: issue.cart_id,
        discount_percent: issue.discount_percent,
        reserved_amount: issue.reserved_amount,
        currency_code: issue.currency_code,
        expires_at: new Date(Date.now() + issue.policy.offer_ttl_hours * 3600_000),
        reason: issue.reason,
        status: "active",
      }
    : undefined
  const periodStart = issue?.policy.budget_period ? budgetPeriodStart(issue.policy.budget_period, new Date()) : new Date(0)
  const columns = inserted.map((column) => `"${column}"`).join(", ")
  const decisionValues = inserted.map((column) => {
    if (column === "claim_key") return "c.claim_key"
    if (!issue) return `r."${column}"`
    if (column === "chosen_percent") return `case when s.limit_refused then 0 else r.chosen_percent end`
    if (column === "propensity") return `case when s.limit_refused then :refused_propensity::real else r.propensity end`
    if (column === "reasons") return `case when s.limit_refused then coalesce(r.reasons, '[]'::jsonb) || jsonb_build_array(:limit_reason::text) else r.reasons end`
    return `r."${column}"`
  }).join(", ")
  const budget = issue && isSet(issue.policy.budget_amount) ? issue.policy.budget_amount : null
  const rows = await preparedQuery(db, db.raw(
    `with async_commit as (
       -- The claim commits without waiting for its WAL flush (only this transaction). A shopper sees its
       -- offer only in a cart that Medusa then writes with a synchronous commit, whose flush covers this
       -- earlier commit record too; a crash can lose only a claim whose cart never showed it.
       select set_config('synchronous_commit', 'off', true)
     ),
     latest as (
       -- The customer's latest decision under the policy: the key a new decision claims, and whether it still stands.
       select d.id, d.created_at > now() - p.offer_ttl_hours * interval '1 hour' as stands
       from ${DECISIONS} d join uplift_discount_policy p on p.id = d.policy_id
       where d.customer_id = :customer and d.policy_id = :policy and d.deleted_at is null
       order by d.created_at desc, d.id desc limit 1
     ),
     c as (
       select coalesce((select id from latest), '') as claim_key, coalesce((select stands from latest), false) as stands
     ),
     s as (
       -- The customer's offers under the policy in one pass (the open one, how many were used), and the budget's use.
       select open, used, spent, open is null and used >= :limit as limit_refused from (select
         (array_agg(row_to_json(o.*)) filter (where o.status = 'active'))[1] as open,
         (count(*) filter (where o.status in ('claimed', 'held', 'redeemed')))::int as used,
         ${budget === null ? "0::float" : `(select coalesce(sum(coalesce(redeemed_amount, reserved_amount)), 0)::float from ${OFFERS}
           where policy_id = :policy and status in ('active', 'claimed', 'held', 'redeemed') and deleted_at is null and created_at >= :since)`} as spent
         from ${OFFERS} o where o.policy_id = :policy and o.customer_id = :customer and o.deleted_at is null
       ) standing_offers
     ),
     decision as (
       insert into ${DECISIONS} (${columns})
       select ${decisionValues} from json_populate_record(null::${DECISIONS}, :row::json) r, c, s
       where not c.stands
       on conflict (policy_id, customer_id, claim_key) where claim_key is not null and deleted_at is null do nothing
       returning *
     ),
     offer as (
       insert into ${OFFERS} (${OFFER_COLUMNS.map((column) => `"${column}"`).join(", ")})
       select ${OFFER_COLUMNS.map((column) => (column === "decision_id" ? "decision.id" : `r."${column}"`)).join(", ")}
       from json_populate_record(null::${OFFERS}, :offer::json) r, decision, s
       where :issue::boolean and s.open is null and not s.limit_refused and (:budget::float is null or r.reserved_amount <= :budget::float - s.spent + 1e-9)
       returning *
     )
     select (select row_to_json(decision.*) from decision) as decision, (select row_to_json(offer.*) from offer) as offer,
       case when c.stands then (select row_to_json(d.*) from ${DECISIONS} d where d.id = c.claim_key) end as standing,
       s.open, s.used, s.spent, s.limit_refused
     from s, c, async_commit`,
    {
      customer: data.customer_id,
      policy: data.policy_id,
      limit: issue ? issue.policy.per_customer_limit : 0,
      since: periodStart,
      row: JSON.stringify(row),
      offer: JSON.stringify(offer ?? {}),
      issue: Boolean(issue),
      budget,
      refused_propensity: limitRefused?.propensity ?? 1,
      limit_reason: LIMIT_REFUSAL,
    }
  ))
  const result = rows[0]
  const open = result.open ? offerRow(result.open) : undefined
  if (!result.decision) {
    return result.standing ? { decision: jsonRow(result.standing), recorded: false, offer: open } : ({ recorded: false } as ClaimResult)
  }
  const decision = jsonRow(result.decision)
  if (!issue) return { decision, recorded: true }
  if (result.offer) return { decision, recorded: true, offer: offerRow(result.offer) }
  if (open) return { decision, recorded: true, offer: open }
  if (result.limit_refused) return { decision, recorded: true, refused: "per_customer_limit" }
  return { decision, recorded: true, refused: "budget", budgetLeft: (budget as number) - Number(result.spent) }
}

/** A decision whose offer the budget refused: logged as what the shopper got (0), with its probability. */
async function refuseOverBudget(trx: Knex.Transaction, data: DecisionInput, issue: Omit<IssueOfferInput, "decision_id">, claimed: ClaimResult): Promise<ClaimResult> {
  const reasons = [...((data.reasons as string[]) ?? []), BUDGET_REFUSAL]
  const propensity = refusedPropensity(issue, { refused: "budget", budget_left: claimed.budgetLeft as number })
  const [refused] = await trx(DECISIONS).where({ id: claimed.decision.id }).update({ chosen_percent: 0, propensity, reasons: JSON.stringify(reasons) }).returning("*")
  return { decision: refused, recorded: true, refused: "budget" }
}

/** A row read as JSON, with its timestamps as dates (as a plain select gives them). */
function jsonRow(json: Record<string, any>): Record<string, any> {
  return offerRow(json)
}

/** Issues an offer within `trx` if the budget and the per-customer limit allow it (under the policy lock). */
async function issueWithin(trx: Knex.Transaction, input: IssueOfferInput): Promise<IssueOfferResult> {
  await lockPolicy(trx, input.policy.id)
  const { open, used, spent } = await policyStanding(trx, input.policy, input.customer_id)
  if (open) {
    return { offer: open }
  }
  if (used >= input.policy.per_customer_limit) {
    return { refused: "per_customer_limit" as const }
  }
  const budgetLeft = isSet(input.policy.budget_amount) ? input.policy.budget_amount - spent : Infinity
  if (input.reserved_amount > budgetLeft + 1e-9) {
    return { refused: "budget" as const, budget_left: budgetLeft }
  }
  const [offer] = await trx(OFFERS)
    .insert({
      id: generateEntityId(undefined, "uoffer"),
      policy_id: input.policy.id,
      decision_id: input.decision_id,
      customer_id: input.customer_id,
      cart_id: input.cart_id,
      discount_percent: input.discount_percent,
      reserved_amount: input.reserved_amount,
      currency_code: input.currency_code,
      expires_at: new Date(Date.now() + input.policy.offer_ttl_hours * 3600_000),
      reason: input.reason,
      status: "active",
    })
    .returning("*")
  return { offer }
}

/**
 * In one read: the customer's open offer under the policy, how many of its offers they used (claimed, held,
 * redeemed), and the policy's spend plus reservations in the current budget period.
 */
async function policyStanding(trx: Knex.Transaction, policy: PolicyRecord, customerId: string): Promise<{ open?: Record<string, any>; used: number; spent: number }> {
  const periodStart = policy.budget_period ? budgetPeriodStart(policy.budget_period, new Date()) : new Date(0)
  const { rows } = await trx.raw(
    `select
       (select row_to_json(o.*) from ${OFFERS} o where o.policy_id = :policy and o.customer_id = :customer and o.status = 'active' and o.deleted_at is null limit 1) as open,
       (select count(*)::int from ${OFFERS} where policy_id = :policy and customer_id = :customer and status in ('claimed', 'held', 'redeemed') and deleted_at is null) as used,
       (select coalesce(sum(coalesce(redeemed_amount, reserved_amount)), 0)::float from ${OFFERS}
         where policy_id = :policy and status in ('active', 'claimed', 'held', 'redeemed') and deleted_at is null and created_at >= :since) as spent`,
    { policy: policy.id, customer: customerId, since: periodStart }
  )
  const row = rows[0]
  return { open: row.open ? offerRow(row.open) : undefined, used: Number(row.used), spent: Number(row.spent) }
}

/** A row read as JSON has its timestamps as strings; callers expect what a plain select gives. */
function offerRow(json: Record<string, any>): Record<string, any> {
  const dates = ["expires_at", "claimed_at", "redeemed_at", "created_at", "updated_at", "deleted_at"]
  return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, dates.includes(key) && value ? new Date(value) : value]))
}

function isSet(value: number | null | undefined): value is number {
  return value !== null && value !== undefined
}

async function openOffer(db: Knex, policyId: string, customerId: string): Promise<Record<string, any> | undefined> {
  return db(OFFERS).where({ policy_id: policyId, customer_id: customerId, status: "active" }).whereNull("deleted_at").first()
}

async function lockPolicy(trx: Knex.Transaction, policyId: string): Promise<void> {
  await advisoryLock(trx, `uplift-policy:${policyId}`)
}

/** A Postgres advisory lock on `key`, held until the transaction ends. */
async function advisoryLock(trx: Knex.Transaction, key: string): Promise<void> {
  await trx.raw("select pg_advisory_xact_lock(hashtext(?))", [key])
}

/** An open offer of the customer under an active policy, or the one this cart claimed; the newest first. */
async function usableOffer(db: Knex, customerId: string, cartId?: string | null): Promise<UsableOffer | undefined> {
  return usableOffers(db, customerId, cartId).select("o.*", db.raw("row_to_json(p.*) as policy")).first()
}

/** Open offers of the customer under active policies, and the one this cart claimed; the newest first. */
function usableOffers(db: Knex, customerId: string, cartId?: string | null): Knex.QueryBuilder {
  return db(`${OFFERS} as o`)
    .join("uplift_discount_policy as p", "p.id", "o.policy_id")
    .where({ "o.customer_id": customerId, "p.status": "active" })
    .where((usable) => {
      usable.where("o.status", "active")
      if (cartId) usable.orWhere({ "o.status": "claimed", "o.cart_id": cartId })
    })
    .where("o.expires_at", ">", new Date())
    .whereNull("o.deleted_at")
    .whereNull("p.deleted_at")
    .orderBy("o.created_at", "desc")
}

/**
 * usableOffer and standingDecisions in one fixed statement (built once, prepared per connection): the lookup
 * of every cart update of a logged-in shopper. $1 customer, $2 cart (or null), $3 now, $4 live policy ids.
 */
const usableOfferAndDecidedStatement = preparedStatement<{ offer: Record<string, any> | null; decided: string[] }>(
  `select (select row_to_json(o.*)::jsonb || jsonb_build_object('policy', row_to_json(p.*))
             from ${OFFERS} as o join uplift_discount_policy as p on p.id = o.policy_id
            where o.customer_id = $1 and p.status = 'active'
              and (o.status = 'active' or (o.status = 'claimed' and o.cart_id = $2))
              and o.expires_at > $3 and o.deleted_at is null and p.deleted_at is null
            order by o.created_at desc limit 1) as offer,
          (select coalesce(array_agg(distinct d.policy_id), '{}')
             from ${DECISIONS} as d join uplift_discount_policy as p on p.id = d.policy_id
            where d.customer_id = $1 and d.policy_id = any($4::text[]) and d.deleted_at is null
              and d.created_at > now() - p.offer_ttl_hours * interval '1 hour') as decided`
)

/** Decisions of a customer under these policies made within each policy's offer TTL. */
function standingDecisions(db: Knex, customerId: string, policyIds: string[]): Knex.QueryBuilder {
  return db(`${DECISIONS} as d`)
    .join("uplift_discount_policy as p", "p.id", "d.policy_id")
    .where("d.customer_id", customerId)
    .whereIn("d.policy_id", policyIds)
    .whereNull("d.deleted_at")
    .whereRaw("d.created_at > now() - p.offer_ttl_hours * interval '1 hour'")
}

/**
 * The probability of "no offer" for a refused issue: the offer limit refuses every level; the budget
 * refuses the levels whose reservation does not fit what is left. Without the draw, certain (1).
 */
function refusedPropensity(issue: Omit<IssueOfferInput, "decision_id">, issued: IssueOfferResult): number {
  if (!issue.levels) return 1
  const levels = issue.levels
  const refused = (percent: number) => {
    if (issued.refused !== "budget") return true
    const level = levels.find((candidate) => candidate.percent === percent)
    return percent === issue.discount_percent || !level || level.reserved_amount > issued.budget_left + 1e-9
  }
  return propensityOfNoOffer(levels, refused)
}

export interface BudgetUsage {
  /** Discount redeemed on orders. */
  spent: number
  /** Held for open offers (with headroom for growing carts); returns to the budget when they expire. */
  reserved: number
}

/** Reserved (open) plus redeemed discount in the current budget period. */
async function spentInPeriod(db: Knex, policy: PolicyRecord): Promise<number> {
  const { spent, reserved } = await usageInPeriod(db, policy)
  return spent + reserved
}

async function usageInPeriod(db: Knex, policy: PolicyRecord): Promise<BudgetUsage> {
  const query = db(OFFERS)
    .where({ policy_id: policy.id })
    .whereIn("status", ["active", "claimed", "held", "redeemed"])
    .whereNull("deleted_at")
  if (policy.budget_period) {
    query.where("created_at", ">=", budgetPeriodStart(policy.budget_period, new Date()))
  }
  const [row] = await query.select(
    db.raw("coalesce(sum(redeemed_amount), 0)::float as spent"),
    db.raw("coalesce(sum(case when redeemed_amount is null then reserved_amount else 0 end), 0)::float as reserved")
  )
  return { spent: Number(row.spent), reserved: Number(row.reserved) }
}

export default DiscountsModuleService
