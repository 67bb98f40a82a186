import { IDENTITY_HISTORY_CAP } from "../../../ml/fraud/features"

/** The fields a rule condition can test, with their value type. Velocity fields are generated below. */
export type FieldType = "number" | "string" | "boolean"

export interface FieldSpec {
  type: FieldType
  /** Personal identifiers: signals hold only their hash, so rule values are hashed before comparing. */
  hashed?: boolean
  /** The largest value the field takes (counts over an identity's latest IDENTITY_HISTORY_CAP checkouts). */
  max?: number
  description: string
}

export const VELOCITY_KEYS = ["customer", "email", "ip", "device", "address"] as const
export const VELOCITY_METRICS = ["orders", "carts", "failed_payments"] as const
export const VELOCITY_WINDOWS = ["1h", "24h"] as const

export type VelocityKey = (typeof VELOCITY_KEYS)[number]
export type VelocityMetric = (typeof VELOCITY_METRICS)[number]

export function velocityField(key: VelocityKey, metric: VelocityMetric, window: "1h" | "24h"): string {
  return `${key}.${metric}_last_${window}`
}

const velocityFields: Record<string, FieldSpec> = Object.fromEntries(
  VELOCITY_KEYS.flatMap((key) =>
    VELOCITY_METRICS.flatMap((metric) =>
      VELOCITY_WINDOWS.map((window) => [
        velocityField(key, metric, window),
        {
          type: "number" as const,
          max: IDENTITY_HISTORY_CAP,
          description: `${metric.replace("_", " ")} for this ${key} in the last ${window === "1h" ? "hour" : "24 hours"} (among its latest ${IDENTITY_HISTORY_CAP} checkouts)`,
        },
      ])
    )
  )
)

export const RULE_FIELDS: Record<string, FieldSpec> = {
  "order.total": { type: "number", description: "cart total in the currency's main unit" },
  "order.item_count": { type: "number", description: "number of items (sum of quantities)" },
  "order.currency_code": { type: "string", description: "currency code, lower case" },
  "order.value_vs_customer_average": { type: "number", description: "order total divided by the customer's average past order (0 without history)" },
  "order.promotion_count": { type: "number", description: "promotions applied to the cart" },
  "customer.account_age_hours": { type: "number", description: "hours since the customer record was created" },
  "customer.has_account": { type: "boolean", description: "registered customer (false for guests)" },
  "customer.order_count": { type: "number", description: "the customer's previous orders" },
  "customer.average_order_value": { type: "number", description: "average of the customer's previous checkout totals" },
  email: { type: "string", hashed: true, description: "cart email (compared hashed)" },
  email_domain: { type: "string", description: "part of the email after @, lower case" },
  ip: { type: "string", hashed: true, description: "request IP (compared hashed)" },
  device_id: { type: "string", hashed: true, description: "device id from header x-device-id or cart metadata.device_id (compared hashed)" },
  has_device_id: { type: "boolean", description: "the checkout sent a device id" },
  "shipping_address.country_code": { type: "string", description: "shipping country, lower case ISO 2" },
  "billing_address.country_code": { type: "string", description: "billing country, lower case ISO 2" },
  billing_country_mismatch: { type: "boolean", description: "billing and shipping countries differ" },
  accounts_per_device: { type: "number", max: IDENTITY_HISTORY_CAP + 1, description: `customers seen on this device, this one included (among its latest ${IDENTITY_HISTORY_CAP} checkouts)` },
  accounts_per_ip: { type: "number", max: IDENTITY_HISTORY_CAP + 1, description: `customers seen on this IP, this one included (among its latest ${IDENTITY_HISTORY_CAP} checkouts)` },
  accounts_per_address: { type: "number", max: IDENTITY_HISTORY_CAP + 1, description: `customers seen with this shipping address, this one included (among its latest ${IDENTITY_HISTORY_CAP} checkouts)` },
  accounts_per_normalized_email: {
    type: "number",
    max: IDENTITY_HISTORY_CAP + 1,
    description: `customers whose email normalizes to this one (dots and +tags removed for gmail-like domains; among its latest ${IDENTITY_HISTORY_CAP} checkouts)`,
  },
  linked_account_redeemed_first_order: {
    type: "boolean",
    description: "first order of this customer, carrying a promotion that an account sharing its device, address or normalized email already redeemed",
  },
  "risk.score": { type: "number", description: "model score 0-100 (conditions on it are false when the model is unavailable)" },
  ...velocityFields,
}

export const OPERATORS = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"] as const
export type Operator = (typeof OPERATORS)[number]

export const OPERATORS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  number: OPERATORS,
  string: ["eq", "ne", "in", "nin"],
  boolean: ["eq", "ne"],
}

export const RULE_ACTIONS = ["allow", "hold", "block"] as const
export type RuleAction = (typeof RULE_ACTIONS)[number]
