/**
 * The fraud model's live features: only those a store can compute at checkout, in the model's column
 * order. The public training set and a live checkout both map onto this vector.
 */
export const LIVE_FRAUD_FEATURES = [
  "seconds_to_purchase",
  "purchase_value",
  "accounts_on_device",
  "accounts_on_ip",
  "same_value_on_device",
  "purchase_hour",
  "purchase_weekday",
  "signup_hour",
  "signup_weekday",
] as const

export type LiveFraudFeature = (typeof LIVE_FRAUD_FEATURES)[number]

export interface LiveFraudInput {
  /** Customer sign-up (account creation) time. */
  signupAt: Date
  purchaseAt: Date
  /** Order total in the currency's main unit. */
  purchaseValue: number
  /** Accounts seen on this device, this one included (1 when no device id). */
  accountsOnDevice: number
  accountsOnIp: number
  /** Other checkouts from this device with exactly this amount. */
  sameValueOnDevice: number
}

/** One feature row in LIVE_FRAUD_FEATURES order (hours and weekdays in UTC, as in training). */
export function liveFeatureRow(input: LiveFraudInput): number[] {
  const seconds = Math.max(0, (input.purchaseAt.getTime() - input.signupAt.getTime()) / 1000)
  return [
    seconds,
    input.purchaseValue,
    Math.max(1, input.accountsOnDevice),
    Math.max(1, input.accountsOnIp),
    input.sameValueOnDevice,
    input.purchaseAt.getUTCHours(),
    input.purchaseAt.getUTCDay(),
    input.signupAt.getUTCHours(),
    input.signupAt.getUTCDay(),
  ]
}
