import { model } from "@medusajs/framework/utils"

/** A merchant's rules for personal discounts: who is eligible, which levels, what it may cost. */
export const DiscountPolicy = model.define("uplift_discount_policy", {
  id: model.id({ prefix: "udpol" }).primaryKey(),
  name: model.text(),
  status: model.enum(["draft", "active", "paused", "shadow"]).default("draft"),
  strategy: model.enum(["model", "fixed"]).default("model"),
  target: model.enum(["order", "items"]).default("order"),
  rounds: model.json(),
  win_back_after_days: model.number().nullable(),
  abandoned_after_hours: model.number().nullable(),
  ladder: model.json(),
  max_discount_percent: model.float(),
  min_margin_percent: model.float().default(0),
  budget_amount: model.float().nullable(),
  budget_currency_code: model.text().nullable(),
  budget_period: model.enum(["day", "week", "month"]).nullable(),
  holdout_percent: model.float().default(10),
  exploration_percent: model.float().default(5),
  per_customer_limit: model.number().default(1),
  offer_ttl_hours: model.number().default(72),
  stacking: model.enum(["exclusive", "combine"]).default("exclusive"),
  max_total_discount_percent: model.float().nullable(),
  objective: model.enum(["profit", "revenue", "conversion"]).default("profit"),
  /** Before a response model is trained: no discount beyond exploration, or the modest prior's choice. */
  cold_start: model.enum(["no_discount", "prior", "explore"]).default("no_discount"),
  fairness: model.json().nullable(),
})
