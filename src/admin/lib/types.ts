/** Shapes of the plugin's admin API responses, as the pages read them. */

export type PolicyStatus = "draft" | "active" | "paused" | "shadow"
export type Round = "first_order" | "repeat" | "win_back" | "abandoned_cart"

export interface DiscountPolicy {
  id: string
  name: string
  status: PolicyStatus
  strategy: "model" | "fixed"
  target: "order" | "items"
  rounds: Round[]
  win_back_after_days: number | null
  abandoned_after_hours: number | null
  ladder: number[]
  max_discount_percent: number
  min_margin_percent: number
  budget: { amount: number; currency_code: string; period: "day" | "week" | "month" } | null
  holdout_percent: number
  exploration_percent: number
  per_customer_limit: number
  offer_ttl_hours: number
  stacking: "exclusive" | "combine"
  max_total_discount_percent: number | null
  objective: "profit" | "revenue" | "conversion"
  cold_start?: "no_discount" | "prior" | "explore"
  fairness: { attribute: "country" | "region"; max_gap: number } | null
  /** Current budget period: discount redeemed on orders, and held for open offers. */
  spent?: number
  reserved?: number
  created_at?: string
  updated_at?: string
}

export interface Interval {
  value: number
  ci95: [number, number]
}

export interface ArmSummary {
  customers: number
  conversions: number
  conversion_rate: number
  revenue_per_customer: number
  profit_per_customer: number
  discount_cost: number
}

export interface DailyPoint {
  date: string
  treated_profit_per_customer: number
  holdout_profit_per_customer: number
  incremental_profit_per_customer: number
  incremental_profit_per_customer_ci95: [number, number]
  incremental_profit: number
  incremental_profit_ci95: [number, number]
  treated_conversion_rate: number
  holdout_conversion_rate: number
  discount_cost: number
}

export interface PolicyReport {
  policy_id: string
  window_days: number
  treated: ArmSummary
  holdout: ArmSummary
  incremental_conversion_rate: Interval
  incremental_profit_per_customer: Interval
  incremental_profit: Interval
  /** A strategy is null when too few logged decisions took the level it would choose. */
  off_policy: { decisions: number; model_matched: number; fixed_matched: number; model: Interval | null; fixed: Interval | null; model_minus_fixed: Interval | null }
  /** Customers decided less than window_days ago: not counted above until their window closes. */
  open_windows: { customers: number; next_closes_at: string | null }
  funnel: { decisions: number; offers_issued: number; offers_on_carts: number; offers_redeemed: number }
  budget: { amount: number; currency_code: string; period: string; spent: number; reserved: number } | null
  daily: DailyPoint[]
  /** The same per decision week (date: its Monday). */
  weekly?: DailyPoint[]
  /** The active response model as a policy against fixed levels, on decisions it did not learn from (null: no model). */
  learned_policy: LearnedPolicy | null
}

export interface StrategyValue {
  matched: number
  per_customer: Interval | null
}

export interface LearnedPolicy {
  model_version: string
  evaluated_after: string | null
  decisions: number
  learned: StrategyValue & { chosen: { percent: number; customers: number }[] }
  fixed: (StrategyValue & { percent: number })[]
  best_fixed_percent: number | null
  learned_minus_best_fixed: Interval | null
}

export interface PersonalOffer {
  id: string
  policy_id: string
  decision_id: string
  customer_id: string
  cart_id: string | null
  discount_percent: number
  status: "active" | "claimed" | "held" | "redeemed" | "expired" | "revoked"
  reserved_amount: number
  redeemed_amount: number | null
  currency_code: string | null
  expires_at: string
  order_id: string | null
  /** The personal-discount code the order carried (`YOUR-10-OFF`); null until an order used the offer. */
  promotion_code?: string | null
  redeemed_at: string | null
  revoked_reason: string | null
  reason: string | null
  created_at: string
}

export interface OfferDecision {
  id: string
  policy_id: string
  customer_id: string
  cart_id: string | null
  round: string | null
  group: "holdout" | "explore" | "model" | "fixed" | "ineligible"
  chosen_percent: number
  propensity: number
  model_version: string
  candidates: { percent: number; expected_value: number }[] | null
  reasons: unknown
  basket_value: number
  shadow: boolean
  created_at: string
}

export type Sentiment = "positive" | "neutral" | "negative"

export interface RiskFact {
  code: string
  message: string
  sentiment: Sentiment
  impact?: number
}

export interface FraudAssessment {
  id: string
  cart_id: string
  order_id: string | null
  customer_id: string | null
  decision: "allow" | "hold" | "block"
  reason: string
  rule_id: string | null
  score: number | null
  probability: number | null
  model_version: string | null
  model_engine: string | null
  model_error: string | null
  amount: number
  currency_code: string | null
  facts: RiskFact[]
  created_at: string
}

export interface HoldEvent {
  id: string
  action: "opened" | "released" | "rejected" | "release_reverted" | "capture_refunded"
  actor_id: string | null
  note: string | null
  created_at: string
}

export interface FraudHold {
  id: string
  cart_id: string
  order_id: string | null
  assessment_id: string | null
  status: "open" | "released" | "rejected"
  reason: string
  resolved_by: string | null
  resolved_at: string | null
  note: string | null
  created_at: string
  audit?: HoldEvent[]
}

export interface RuleCondition {
  field: string
  operator: string
  value: string | number | boolean | (string | number | boolean)[]
}

export interface FraudRule {
  id: string
  name: string
  enabled: boolean
  priority: number
  conditions: RuleCondition[]
  action: "allow" | "hold" | "block"
  created_at?: string
}

export type ModelKind = "propensity" | "response" | "fraud" | "recommender"

export interface ModelVersion {
  id: string
  kind: ModelKind
  version: string
  status: "candidate" | "active" | "rejected" | "retired"
  metrics: Record<string, unknown> | null
  selection_metric: string | null
  selection_value: number | null
  higher_is_better: boolean | null
  data_from: string | null
  data_to: string | null
  size_bytes: number | null
  execution_provider: string | null
  activated_at: string | null
  note: string | null
  created_at: string
  /** The fraud model shipped with the plugin (not in the registry: it cannot be activated through it). */
  shipped?: boolean
  /** A response version: the uplift learner it serves, chosen by cross-fitted policy value. */
  learner?: string | null
}

export interface TrainingRun {
  id: string
  model: ModelKind
  status: "queued" | "running" | "completed" | "failed"
  trigger?: string
  stage: string
  percent: number
  log: string[] | string | null
  error: string | null
  model_version_id: string | null
  outcome: string | null
  created_at: string
  started_at?: string | null
  finished_at: string | null
}

export interface CustomerUplift {
  offers: PersonalOffer[]
  decisions: OfferDecision[]
  propensity: {
    profile: { has_account: boolean; signed_up_at: string | null; attributes: Record<string, unknown> | null } | null
    /** Per origin ("seed": imported history, not Medusa orders; "event": orders placed in this store) and currency. */
    history: { source: "seed" | "event"; currency_code: string | null; order_count: number; total_spent: number; last_order_at: string | null }[] | null
    next_purchases: { id: string; title: string | null }[]
    model_version: string | null
  }
  policies: Record<string, string>
}

export interface ServingModel {
  model: "fraud" | "propensity" | "response" | "recommendations"
  version: string | null
  /** What it actually computes on here: an onnxruntime execution provider, or TypeScript in process. */
  runs_on: string
}

export interface PluginStatus {
  queue_mode: string
  queue_prefix: string
  worker_mode: string
  execution_providers: string[]
  interactions: number
  customer_profiles: number
  recommendations: { model_version: string | null; prepared: boolean }
  models: ServingModel[]
}
