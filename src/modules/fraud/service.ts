import { MedusaError, MedusaService, generateEntityId } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { preparedQuery } from "../../lib/prepared-statements"
import type { UpliftOptions } from "../../lib/options"
import type { ClientSignals } from "../../lib/shopper-context"
import { FraudAssessment, REDEEMED_BY, REDEEMED_WHERE } from "./models/fraud-assessment"
import { FraudClientSignal } from "./models/fraud-client-signal"
import { FraudHold } from "./models/fraud-hold"
import { FraudHoldEvent } from "./models/fraud-hold-event"
import { FraudLabel } from "./models/fraud-label"
import { FraudRule } from "./models/fraud-rule"
import { FraudSetting } from "./models/fraud-setting"
import { FraudSignupSignal } from "./models/fraud-signup-signal"
import { DEFAULT_THRESHOLDS, RuleLike, Thresholds } from "./rules/evaluate"
import { FraudScorer } from "./scoring/scorer"
import { ClientSignalGate } from "./signals/client-signals"
import { FRAUD_LINK_WINDOW_DAYS, IDENTITY_HISTORY_CAP, LIVE_FRAUD_FEATURES, signupSourceOf, type ModelCounts, type SignupSource } from "./model/features"
import type { FraudTrainingSet } from "../../ml/training/fraud"
import { VELOCITY_KEYS, VELOCITY_WINDOWS, velocityField, type VelocityKey } from "./rules/fields"

type InjectedDependencies = {
  __pg_connection__: Knex
  fraudOptions: UpliftOptions
}

const T = {
  assessment: "uplift_fraud_assessment",
  signal: "uplift_fraud_client_signal",
  signup: "uplift_fraud_signup_signal",
  hold: "uplift_fraud_hold",
  event: "uplift_fraud_hold_event",
  label: "uplift_fraud_label",
  rule: "uplift_fraud_rule",
  setting: "uplift_fraud_setting",
}
const CACHE_MS = 2_000
const CAPTURED_SIGNALS_MS = 30_000
const CAPTURED_SIGNALS_MAX = 10_000
const PENDING_WRITES_MAX = 10_000

export interface IdentityKeys {
  cart_id: string
  customer_id: string | null
  email_hash: string | null
  email_norm_hash: string | null
  ip_hash: string | null
  device_hash: string | null
  address_hash: string | null
}

export interface LinkedCounts {
  accounts_per_device: number
  accounts_per_ip: number
  accounts_per_address: number
  accounts_per_normalized_email: number
  same_value_on_device: number
}

export interface CheckoutHistory {
  averageOrderValue: number
  /**
   * The customer's earlier orders from the plugin's own history (orderCountQuery); null for a customer
   * without an earlier assessment, whose orders the caller counts once.
   */
  orderCount: number | null
  linked: LinkedCounts
  /** The fraud model's device/IP counts: checkouts before `now` within FRAUD_LINK_WINDOW_DAYS. */
  model: ModelCounts
  linkedRedeemed: boolean
  /** Rule field (velocityField) -> count. */
  velocity: Record<string, number>
}

const VELOCITY_COLUMN: Record<VelocityKey, keyof IdentityKeys> = {
  customer: "customer_id",
  email: "email_hash",
  ip: "ip_hash",
  device: "device_hash",
  address: "address_hash",
}

/** Identities whose accounts the linked-account counts read. */
const LINKED_COLUMNS: (keyof IdentityKeys)[] = ["device_hash", "ip_hash", "address_hash", "email_norm_hash"]
/** Every identity a checkout's history counts read: the CTE "recent" holds each one's latest checkouts. */
const HISTORY_COLUMNS: (keyof IdentityKeys)[] = [...new Set([...Object.values(VELOCITY_COLUMN), ...LINKED_COLUMNS])]

interface HistoryWindows {
  hour: Date
  day: Date
  /** Rule fields' linked accounts (`linkedAccountsWindowDays`) and the model's (FRAUD_LINK_WINDOW_DAYS). */
  rule: Date
  model: Date
  widest: Date
}

export type HoldTransition = "released" | "rejected"

/** The code of the 409 a release or reject gets when the hold was already resolved (or is not yet linked). */
export const FRAUD_HOLD_UNRESOLVABLE = "fraud_hold_unresolvable"

class FraudModuleService extends MedusaService({
  FraudRule,
  FraudClientSignal,
  FraudAssessment,
  FraudHold,
  FraudHoldEvent,
  FraudLabel,
  FraudSetting,
  FraudSignupSignal,
}) {
  protected readonly db_: Knex
  readonly options: UpliftOptions
  readonly scorer: FraudScorer
  /** Client IP through the trusted proxies, and the rate limit of client signal writes. */
  readonly clientSignals: ClientSignalGate
  /** When false, the checkout hook skips assessment entirely (benchmarks compare with and without). */
  enabled = true
  /** Fail closed (block) when the model is unavailable; defaults to the plugin option fraudFailClosed. */
  failClosed: boolean
  /** Benchmarks set this to an object to collect the time of each phase of screened checkouts (ms); null: off. */
  phaseTimings: Record<string, number[]> | null = null
  /** Client signal captures started in this process, by cart: the checkout that follows awaits them, no query. */
  private readonly sharedSignals = new Map<string, { signals: Promise<ClientSignals | null>; at: number }>()
  /** Assessment writes of checkouts in this process, by cart, until the checkout awaits them before authorizing payment. */
  private readonly pendingWrites = new Map<string, Promise<void>>()
  private rulesCache: { at: number; rules: RuleLike[] } | null = null
  private thresholdsCache: { at: number; value: Thresholds } | null = null

  constructor(deps: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.db_ = deps.__pg_connection__
    this.options = deps.fraudOptions
    this.failClosed = deps.fraudOptions?.fraudFailClosed ?? false
    this.scorer = new FraudScorer()
    this.clientSignals = new ClientSignalGate(deps.fraudOptions)
  }

  __hooks = {
    onApplicationStart: async () => {
      await this.scorer.load()
    },
    onApplicationShutdown: async () => {
      await this.clientSignals.close()
    },
  }

  /** Adds the time since `since` (process.hrtime.bigint) to a phase when timings are collected; returns now. */
  timePhase(phase: string, since: bigint): bigint {
    const now = process.hrtime.bigint()
    if (this.phaseTimings) (this.phaseTimings[phase] ??= []).push(Number(now - since) / 1e6)
    return now
  }

  /**
   * Records the hashed client signals of a cart's checkout attempt (latest attempt wins, a device seen
   * before is kept when this attempt sends none); resolves to the cart's signals as stored.
   */
  async captureClientSignal(cartId: string, ipHash: string | null, deviceHash: string | null): Promise<ClientSignals | null> {
    const row = { id: generateEntityId(undefined, "fsig"), cart_id: cartId, ip_hash: ipHash, device_hash: deviceHash }
    const { rows } = await this.db_.raw(
      `? on conflict (cart_id) where deleted_at is null do update set ip_hash = excluded.ip_hash, device_hash = coalesce(excluded.device_hash, ${T.signal}.device_hash), updated_at = now() returning ip_hash, device_hash`,
      [this.db_(T.signal).insert(row)]
    )
    return rows?.[0] ? { ip_hash: rows[0].ip_hash, device_hash: rows[0].device_hash } : null
  }

  /**
   * Records the hashed device id and IP of a customer account's registration and its acquisition channel
   * (the first one recorded wins), at `at` (the sign-up instant; now by default).
   */
  async captureSignupSignal(customerId: string, ipHash: string | null, deviceHash: string | null, at = new Date(), source: SignupSource | null = null): Promise<void> {
    const row = { id: generateEntityId(undefined, "fsup"), customer_id: customerId, ip_hash: ipHash, device_hash: deviceHash, source, created_at: at, updated_at: at }
    await this.db_.raw(`? on conflict (customer_id) where deleted_at is null do nothing`, [this.db_(T.signup).insert(row)])
  }

  /** Offers a capture in flight (captureClientSignal) to the cart's checkout in this process. */
  shareClientSignals(cartId: string, signals: Promise<ClientSignals | null>): void {
    if (this.sharedSignals.size >= CAPTURED_SIGNALS_MAX) this.sharedSignals.clear()
    this.sharedSignals.set(cartId, { signals, at: Date.now() })
  }

  /**
   * The cart's client signals: the request's own capture when given, else one shared for the cart in this
   * process (taken once, started at most CAPTURED_SIGNALS_MS ago), awaited; else (no capture, or none taken:
   * not the session's cart, over the rate limit) from the table, as an earlier attempt stored them.
   */
  async clientSignal(cartId: string, requestSignals?: Promise<ClientSignals | null>): Promise<ClientSignals | null> {
    const shared = this.sharedSignals.get(cartId)
    if (shared) this.sharedSignals.delete(cartId)
    const pending = requestSignals ?? (shared && Date.now() - shared.at < CAPTURED_SIGNALS_MS ? shared.signals : undefined)
    const captured = pending ? await pending : null
    return captured ?? (await this.db_(T.signal).where({ cart_id: cartId }).whereNull("deleted_at").first("ip_hash", "device_hash")) ?? null
  }

  /**
   * Keeps a checkout's assessment write (started by its validate hook) for its beforePaymentAuthorization
   * hook: completeCartWorkflow runs its steps in the process that started it. A write that succeeded leaves
   * at once; a failed one stays for its checkout to see.
   */
  keepAssessmentWrite(cartId: string, recorded: Promise<void>): void {
    if (this.pendingWrites.size >= PENDING_WRITES_MAX) this.pendingWrites.clear()
    this.pendingWrites.set(cartId, recorded)
    recorded.then(
      () => {
        if (this.pendingWrites.get(cartId) === recorded) this.pendingWrites.delete(cartId)
      },
      () => undefined
    )
  }

  /** Waits for the cart's assessment write if one is in flight or failed; rethrows its failure. */
  async awaitAssessmentWrite(cartId: string): Promise<void> {
    const recorded = this.pendingWrites.get(cartId)
    if (!recorded) return
    this.pendingWrites.delete(cartId)
    await recorded
  }

  /** Enabled rules, cached for 2 s (writes through this service clear the cache at once). */
  async activeRules(): Promise<RuleLike[]> {
    if (this.rulesCache && Date.now() - this.rulesCache.at < CACHE_MS) return this.rulesCache.rules
    const rules = await this.db_(T.rule).where({ enabled: true }).whereNull("deleted_at").orderBy([{ column: "priority", order: "desc" }, { column: "created_at", order: "asc" }])
    this.rulesCache = { at: Date.now(), rules }
    return rules
  }

  clearRuleCache(): void {
    this.rulesCache = null
  }

  async thresholds(): Promise<Thresholds> {
    if (this.thresholdsCache && Date.now() - this.thresholdsCache.at < CACHE_MS) return this.thresholdsCache.value
    const row = await this.db_(T.setting).where({ id: "default" }).whereNull("deleted_at").first()
    const value = row ? { hold_score: row.hold_score, block_score: row.block_score } : { ...DEFAULT_THRESHOLDS }
    this.thresholdsCache = { at: Date.now(), value }
    return value
  }

  async setThresholds(value: Partial<Thresholds>): Promise<Thresholds> {
    const next = { ...(await this.thresholds()), ...value }
    await this.db_.raw(`? on conflict (id) do update set hold_score = excluded.hold_score, block_score = excluded.block_score, updated_at = now(), deleted_at = null`, [
      this.db_(T.setting).insert({ id: "default", ...next }),
    ])
    this.thresholdsCache = null
    return next
  }

  /**
   * What the checkout's history says, in one statement: the customer's average order value and order count, the accounts
   * linked by device, IP, address or normalized email (and same-amount checkouts on the device), whether a
   * linked account redeemed one of these promotions, and the velocity counts per identity.
   */
  async checkoutHistory(keys: IdentityKeys, amount: number, promotionIds: string[], now: Date): Promise<CheckoutHistory> {
    const db = this.db_
    const windows = this.historyWindows(now)
    // Each identity's latest checkouts, read once for the velocity and linked-account counts (the CTE "recent").
    const recent = this.recentByIdentity(keys, HISTORY_COLUMNS, windows.widest, now)
    const linked = recent && this.linkedCountsQuery(keys, amount, windows)
    const redeemed = this.linkedAccountRedeemedQuery(keys, promotionIds)
    const velocity = recent && this.velocityQuery(keys, windows)
    const signups = this.deviceSignupsQuery(keys, now)
    // Prepared: a statement this size costs Postgres more to parse and plan than to run on the indexes.
    const [row] = await preparedQuery(
      db,
      (recent ? db.with("recent", db.select("*").from(recent)) : db).select({
        aov: keys.customer_id ? db.raw("(?)", [this.averageOrderValueQuery(keys.customer_id, keys.cart_id)]) : db.raw("null"),
        orders: keys.customer_id ? db.raw("(?)", [this.orderCountQuery(keys.customer_id, keys.cart_id)]) : db.raw("0"),
        linked: linked ? db.raw("(select to_jsonb(l) from (?) l)", [linked]) : db.raw("null"),
        redeemed: redeemed.length ? db.raw(redeemed.map(() => "exists (?)").join(" or "), redeemed) : db.raw("false"),
        velocity: velocity ? db.raw("(select to_jsonb(v) from (?) v)", [velocity]) : db.raw("null"),
        signups: signups ? db.raw("(?)", [signups]) : db.raw("0"),
        source: keys.customer_id ? db.raw("(?)", [this.signupSourceQuery(keys.customer_id)]) : db.raw("null"),
      })
    )
    const l = row.linked as Record<string, number> | null
    const counts = (row.velocity ?? {}) as Record<string, number>
    const velocityOut: Record<string, number> = {}
    for (const key of VELOCITY_KEYS) {
      for (const window of VELOCITY_WINDOWS) {
        const carts = counts[`${key}_carts_${window}`] ?? 0
        const ordered = counts[`${key}_ordered_${window}`] ?? 0
        velocityOut[velocityField(key, "orders", window)] = ordered
        velocityOut[velocityField(key, "carts", window)] = carts
        velocityOut[velocityField(key, "failed_payments", window)] = carts - ordered
      }
    }
    return {
      averageOrderValue: Number(row.aov ?? 0),
      orderCount: row.orders === null ? null : Number(row.orders),
      linked: {
        accounts_per_device: keys.device_hash && l ? l.device + 1 : 1,
        accounts_per_ip: keys.ip_hash && l ? l.ip + 1 : 1,
        accounts_per_address: keys.address_hash && l ? l.address + 1 : 1,
        accounts_per_normalized_email: keys.email_norm_hash && l ? l.email + 1 : 1,
        same_value_on_device: keys.device_hash && l ? l.same_value : 0,
      },
      model: {
        accounts_on_device: keys.device_hash && l ? l.model_device + 1 : 1,
        accounts_on_ip: keys.ip_hash && l ? l.model_ip + 1 : 1,
        same_value_on_device: keys.device_hash && l ? l.model_same_value : 0,
        signups_on_device: Number(row.signups ?? 0),
        signup_source: signupSourceOf(row.source),
      },
      linkedRedeemed: Boolean(row.redeemed),
      velocity: velocityOut,
    }
  }

  /**
   * Earlier checkout attempts sharing an identity with this one (the cart itself left out), per identity and
   * window (last hour, last 24 h): orders (attempts that became orders), carts that tried to check out, and
   * carts among them with an order (the rest are failed payments: blocked or not authorized).
   */
  private velocityQuery(keys: IdentityKeys, windows: HistoryWindows) {
    const present = VELOCITY_KEYS.filter((key) => keys[VELOCITY_COLUMN[key]])
    if (present.length === 0) return null
    const db = this.db_
    const since = { "1h": windows.hour, "24h": windows.day }
    // One row per cart (a hash aggregate), then the carts counted per flag: a count(distinct) per identity,
    // window and metric sorted every row again. An order is one cart's: its orders are its carts with an order.
    const flags = present.flatMap((key) =>
      VELOCITY_WINDOWS.flatMap((window) => [
        db.raw(`bool_or(via = ? and created_at >= ?) as ??`, [VELOCITY_COLUMN[key], since[window], `${key}_carts_${window}`]),
        db.raw(`bool_or(via = ? and created_at >= ? and order_id is not null) as ??`, [VELOCITY_COLUMN[key], since[window], `${key}_ordered_${window}`]),
      ])
    )
    const perCart = db.select("cart_id", ...flags).from("recent").where("created_at", ">=", windows.day).groupBy("cart_id")
    const counts = present.flatMap((key) =>
      VELOCITY_WINDOWS.flatMap((window) => [`${key}_carts_${window}`, `${key}_ordered_${window}`].map((name) => db.raw(`count(*) filter (where ??)::int as ??`, [name, name])))
    )
    return db.select(counts).from(perCart.as("per_cart"))
  }

  /** The windows the history counts look back over, from `now`; `widest` is where the CTE "recent" starts. */
  private historyWindows(now: Date): HistoryWindows {
    const ago = (ms: number) => new Date(now.getTime() - ms)
    const rule = ago(this.options.linkedAccountsWindowDays * 86_400_000)
    const model = ago(FRAUD_LINK_WINDOW_DAYS * 86_400_000)
    const day = ago(86_400_000)
    return { hour: ago(3_600_000), day, rule, model, widest: new Date(Math.min(rule.getTime(), model.getTime(), day.getTime())) }
  }

  /**
   * The latest IDENTITY_HISTORY_CAP checkouts of each identity given (other carts, after `since`, before `now`),
   * each row tagged with the column it was read for (`via`): what every count over an identity's checkouts
   * reads, newest first on the identity's index, so that a shared IP or a checkout flood costs each checkout a
   * bounded read. A count over a shorter window (the velocity's day) is exact up to the cap too: the latest rows
   * come first. The training rows count the same way (src/ml/fraud/features.ts).
   */
  private recentByIdentity(keys: IdentityKeys, columns: (keyof IdentityKeys)[], since: Date, now: Date) {
    const db = this.db_
    const parts = identityFilters(keys, columns).map(([column, value]) =>
      db(T.assessment)
        .select(db.raw("?::text as via", [column]), "cart_id", "order_id", "customer_id", "amount", "created_at")
        .where(column, value)
        .whereNull("deleted_at")
        .where("created_at", ">", since)
        .where("created_at", "<", now)
        .whereNot("cart_id", keys.cart_id)
        .orderBy("created_at", "desc")
        .limit(IDENTITY_HISTORY_CAP)
    )
    if (parts.length === 0) return null
    return db.raw(`(${parts.map(() => "(?)").join(" union all ")}) as recent`, parts)
  }

  /**
   * Accounts sharing the device, IP, address or normalized email (this one excluded), and same-amount
   * checkouts on the device, before `now`: over the last `linkedAccountsWindowDays` for the rule fields (a
   * shared IP years ago links nobody), over FRAUD_LINK_WINDOW_DAYS for the model's columns (as it was trained).
   */
  private linkedCountsQuery(keys: IdentityKeys, amount: number, windows: HistoryWindows) {
    if (identityFilters(keys, LINKED_COLUMNS).length === 0) return null
    const db = this.db_
    const { rule, model } = windows
    const shares = (col: string, since: Date, name: string) => db.raw(`bool_or(via = ? and created_at > ?) as ??`, [col, since, name])
    const sameAmount = (since: Date, name: string) => db.raw(`bool_or(abs(amount - ?) < 0.005 and created_at > ?) as ??`, [amount, since, name])
    // Rows grouped per account (and per cart for same-amount checkouts on the device), then counted per flag.
    const accounts = db
      .select(
        "customer_id",
        shares("device_hash", rule, "device"),
        shares("ip_hash", rule, "ip"),
        shares("address_hash", rule, "address"),
        shares("email_norm_hash", rule, "email"),
        shares("device_hash", model, "model_device"),
        shares("ip_hash", model, "model_ip")
      )
      .from("recent")
      .whereIn("via", LINKED_COLUMNS)
      .whereNotNull("customer_id")
      .whereNot("customer_id", keys.customer_id ?? "")
      .groupBy("customer_id")
    const carts = db.select("cart_id", sameAmount(rule, "same_value"), sameAmount(model, "model_same_value")).from("recent").where("via", "device_hash").groupBy("cart_id")
    const counted = (names: string[], from: Knex.QueryBuilder) => db.select(names.map((name) => db.raw(`count(*) filter (where ??)::int as ??`, [name, name]))).from(from.as("grouped"))
    const accountCounts = counted(["device", "ip", "address", "email", "model_device", "model_ip"], accounts)
    const cartCounts = counted(["same_value", "model_same_value"], carts)
    return db.select("*").from(db.raw("(?) as account_counts cross join (?) as cart_counts", [accountCounts, cartCounts]))
  }

  /**
   * The model's signups_on_device: other accounts registered on the device before `now`, or seen checking out
   * on it (registered before registrations were recorded), within FRAUD_LINK_WINDOW_DAYS.
   */
  private deviceSignupsQuery(keys: IdentityKeys, now: Date) {
    if (!keys.device_hash) return null
    const db = this.db_
    const since = new Date(now.getTime() - FRAUD_LINK_WINDOW_DAYS * 86_400_000)
    // The device's latest registrations and checkouts (IDENTITY_HISTORY_CAP of each), then their other accounts.
    const latestOn = (table: string) =>
      db(table)
        .select("customer_id")
        .where("device_hash", keys.device_hash)
        .where("created_at", ">", since)
        .where("created_at", "<", now)
        .whereNull("deleted_at")
        .orderBy("created_at", "desc")
        .limit(IDENTITY_HISTORY_CAP)
    const seen = db.raw(`((?) union all (?)) as seen`, [latestOn(T.signup), latestOn(T.assessment).whereNot("cart_id", keys.cart_id)])
    return db.select(db.raw("count(distinct customer_id)::int")).from(seen).whereNotNull("customer_id").whereNot("customer_id", keys.customer_id ?? "")
  }

  /** The acquisition channel the customer's registration recorded (the model's signup_source_direct). */
  private signupSourceQuery(customerId: string) {
    return this.db_(T.signup).select("source").where("customer_id", customerId).whereNull("deleted_at").limit(1)
  }

  /**
   * Whether another account sharing this device, shipping address or normalized email placed an order with
   * one of these promotions, one query per identity (any of them true). Orders under an open or rejected hold
   * do not count as redeemed. Each reads only the identity's orders placed with a promotion (a partial index
   * per identity, REDEEMED_WHERE), not its checkout attempts, which anyone can pile onto an address.
   */
  private linkedAccountRedeemedQuery(keys: IdentityKeys, promotionIds: string[]) {
    if (promotionIds.length === 0) return []
    return identityFilters(keys, REDEEMED_BY).map(([column, value]) =>
      this.db_(`${T.assessment} as a`)
        .select(this.db_.raw("1"))
        .where(`a.${column}`, value)
        // The partial indexes' condition as they spell it, so that the planner can use them (rows of "a" only).
        .whereRaw(REDEEMED_WHERE)
        .whereNot("a.cart_id", keys.cart_id)
        .whereNotNull("a.customer_id")
        .modify((q) => (keys.customer_id ? q.whereNot("a.customer_id", keys.customer_id) : q))
        .whereRaw(`a.promotion_ids && array[${promotionIds.map(() => "?").join(", ")}]::text[]`, promotionIds)
        .whereNotExists(
          this.db_(`${T.hold} as h`).select(this.db_.raw("1")).whereRaw("h.cart_id = a.cart_id").whereIn("h.status", ["open", "rejected"]).whereNull("h.deleted_at")
        )
    )
  }

  /**
   * The customer's risk signals for offer eligibility, in one statement of two indexed reads: the decision
   * of their latest checkout held or blocked since `since` (null without one), and whether any of their
   * orders was labelled fraud.
   */
  async offerRiskSignals(customerId: string, since: Date): Promise<{ flagged: "hold" | "block" | null; labelled: boolean }> {
    const rows = await preparedQuery(this.db_, this.db_.raw(
      `select
         (select decision from ${T.assessment} where customer_id = :customer and decision in ('hold', 'block') and created_at >= :since and deleted_at is null
           order by created_at desc limit 1) as flagged,
         exists (select 1 from ${T.label} where customer_id = :customer and label = 'fraud' and deleted_at is null) as labelled`,
      { customer: customerId, since }
    ))
    return { flagged: rows[0].flagged ?? null, labelled: Boolean(rows[0].labelled) }
  }

  /** Average total of the customer's earlier checkouts that became orders. */
  private averageOrderValueQuery(customerId: string, cartId: string) {
    return this.db_(T.assessment).avg("amount").where({ customer_id: customerId }).whereNotNull("order_id").whereNot("cart_id", cartId).whereNull("deleted_at")
  }

  /**
   * The customer's earlier orders without asking the order module: the count their first assessment that
   * recorded one holds (`customer.order_count`, from the order module then) plus their screened orders since.
   * Null before any such assessment.
   */
  private orderCountQuery(customerId: string, cartId: string) {
    return this.db_.raw(
      `with baseline as (
         select (signals->>'customer.order_count')::int as orders, created_at from ${T.assessment}
         where customer_id = :customer and deleted_at is null and signals->>'customer.order_count' is not null
         order by created_at asc limit 1)
       select (select orders from baseline) + (
         select count(distinct order_id)::int from ${T.assessment}
         where customer_id = :customer and order_id is not null and cart_id <> :cart and deleted_at is null
           and created_at >= (select created_at from baseline))`,
      { customer: customerId, cart: cartId }
    )
  }

  /**
   * Stores the assessment; a hold decision opens (or refreshes) the cart's pending hold, any other decision
   * removes a pending hold left by an earlier attempt of the cart. One statement: both or neither.
   */
  async recordAssessment(row: Record<string, unknown> & { id: string; cart_id: string; decision: string; reason: string }): Promise<void> {
    const db = this.db_
    const assessment = db(T.assessment).insert({
      ...row,
      facts: JSON.stringify(row.facts ?? []),
      signals: JSON.stringify(row.signals ?? {}),
      features: row.features ? JSON.stringify(row.features) : null,
    })
    if (row.decision === "hold") {
      const hold = { id: generateEntityId(undefined, "fhold"), cart_id: row.cart_id, assessment_id: row.id, status: "open", reason: row.reason }
      await db.raw(
        `with assessment as (?), hold as (? on conflict (cart_id) where deleted_at is null do update set assessment_id = excluded.assessment_id, reason = excluded.reason, updated_at = now() where ${T.hold}.order_id is null) select 1`,
        [assessment, db(T.hold).insert(hold)]
      )
    } else {
      await db.raw(`with assessment as (?), pending as (?) select 1`, [assessment, db(T.hold).where({ cart_id: row.cart_id, status: "open" }).whereNull("order_id").del()])
    }
  }

  /**
   * On order.placed: ties the cart's latest assessment and pending hold to the order, and logs the hold's
   * opening. One statement (the subscriber shares the process with checkouts being answered).
   */
  async linkOrder(cartId: string, orderId: string): Promise<{ hold_id: string | null }> {
    const { rows } = await this.db_.raw(
      `with latest as (
         select id from ${T.assessment} where cart_id = :cart and deleted_at is null order by created_at desc limit 1),
       assessment as (
         update ${T.assessment} set order_id = :order, updated_at = now() where id in (select id from latest)),
       hold as (
         update ${T.hold} set order_id = :order, updated_at = now() where cart_id = :cart and order_id is null and deleted_at is null returning id),
       opened as (
         insert into ${T.event} (id, hold_id, order_id, action) select :event, id, :order, 'opened' from hold)
       select id from hold`,
      { cart: cartId, order: orderId, event: generateEntityId(undefined, "fhev") }
    )
    return { hold_id: rows[0]?.id ?? null }
  }

  /** The open hold on an order (or on the cart it came from, before order.placed was handled). */
  async openHold(orderId: string, cartId?: string | null): Promise<{ id: string; reason: string } | null> {
    const hold = await this.db_(T.hold)
      .where({ status: "open" })
      .whereNull("deleted_at")
      .where((q) => {
        q.where("order_id", orderId)
        if (cartId) q.orWhere("cart_id", cartId)
      })
      .first("id", "reason")
    return hold ?? null
  }

  /** Atomic open -> released/rejected; exactly one concurrent caller wins, the others get a 409. */
  async transitionHold(holdId: string, to: HoldTransition, actorId: string | null, note: string | null): Promise<Record<string, any>> {
    return this.db_.transaction(async (trx) => {
      const [hold] = await trx(T.hold)
        .where({ id: holdId, status: "open" })
        .whereNull("deleted_at")
        .whereNotNull("order_id")
        .update({ status: to, resolved_by: actorId, resolved_at: new Date(), note, updated_at: new Date() })
        .returning("*")
      if (!hold) {
        const existing = await trx(T.hold).where({ id: holdId }).whereNull("deleted_at").first("status", "order_id")
        if (!existing) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Fraud hold ${holdId} was not found`)
        if (!existing.order_id) throw new MedusaError(MedusaError.Types.CONFLICT, `Fraud hold ${holdId} is not linked to an order yet`, FRAUD_HOLD_UNRESOLVABLE)
        throw new MedusaError(MedusaError.Types.CONFLICT, `Fraud hold ${holdId} is already ${existing.status}`, FRAUD_HOLD_UNRESOLVABLE)
      }
      await trx(T.event).insert({ id: generateEntityId(undefined, "fhev"), hold_id: hold.id, order_id: hold.order_id, action: to, actor_id: actorId, note })
      return hold
    })
  }

  /** Compensation of transitionHold: reopens the hold and records it in the audit trail. */
  async reopenHold(holdId: string, from: HoldTransition, actorId: string | null): Promise<void> {
    await this.db_.transaction(async (trx) => {
      const [hold] = await trx(T.hold).where({ id: holdId, status: from }).update({ status: "open", resolved_by: null, resolved_at: null, updated_at: new Date() }).returning(["id", "order_id"])
      if (hold) {
        await trx(T.event).insert({ id: generateEntityId(undefined, "fhev"), hold_id: hold.id, order_id: hold.order_id, action: "release_reverted", actor_id: actorId, note: `${from} failed and was rolled back` })
      }
    })
  }

  /** Appends to a hold's audit trail; returns the event id. */
  async recordHoldEvent(holdId: string, orderId: string, action: "capture_refunded", note: string | null): Promise<string> {
    const id = generateEntityId(undefined, "fhev")
    await this.db_(T.event).insert({ id, hold_id: holdId, order_id: orderId, action, actor_id: null, note })
    return id
  }

  async holdEvents(holdIds: string[]): Promise<Record<string, any[]>> {
    if (holdIds.length === 0) return {}
    const rows = await this.db_(T.event).whereIn("hold_id", holdIds).whereNull("deleted_at").orderBy("created_at", "asc")
    const out: Record<string, any[]> = {}
    for (const r of rows) (out[r.hold_id] ??= []).push({ action: r.action, actor_id: r.actor_id, note: r.note, created_at: r.created_at })
    return out
  }

  async latestAssessmentForOrder(orderId: string): Promise<Record<string, any> | null> {
    return (await this.db_(T.assessment).where({ order_id: orderId }).whereNull("deleted_at").orderBy("created_at", "desc").first()) ?? null
  }

  /** Right to erasure: the customer's assessments, their carts' client signals and labels go. Holds stay (they guard orders). */
  /**
   * The store's labelled orders (chargebacks, manual reviews, hold releases and rejections; the latest
   * label of an order wins) as training rows: the feature row their checkout was assessed with, in the
   * live model's column order.
   */
  async labelledOrders(): Promise<FraudTrainingSet> {
    const { rows } = await this.db_.raw(`
      select distinct on (l.order_id) l.label, coalesce(l.features, a.features) as features, coalesce(a.created_at, l.created_at) as at
      from ${T.label} l
      left join ${T.assessment} a on a.id = l.assessment_id or (l.assessment_id is null and a.order_id = l.order_id)
      where l.deleted_at is null
      order by l.order_id, l.created_at desc`)
    const featureNames = [...LIVE_FRAUD_FEATURES]
    return {
      featureNames,
      examples: rows
        .filter((row: any) => row.features)
        .map((row: any) => ({
          row: featureNames.map((name) => Number(row.features[name] ?? 0)),
          label: row.label === "fraud" ? (1 as const) : (0 as const),
          at: new Date(row.at).getTime(),
        })),
    }
  }

  async eraseCustomer(customerId: string): Promise<number> {
    return this.db_.transaction(async (trx) => {
      const carts = trx(T.assessment).select("cart_id").where({ customer_id: customerId })
      const signals = await trx(T.signal).whereIn("cart_id", carts).del()
      const labels = await trx(T.label).where({ customer_id: customerId }).del()
      const assessments = await trx(T.assessment).where({ customer_id: customerId }).del()
      const signups = await trx(T.signup).where({ customer_id: customerId }).del()
      return signals + labels + assessments + signups
    })
  }
}

function identityFilters(keys: IdentityKeys, columns: readonly (keyof IdentityKeys)[]): [string, string][] {
  return columns.filter((c) => keys[c]).map((c) => [c, keys[c] as string])
}

export default FraudModuleService
