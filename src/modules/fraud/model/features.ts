/**
 * The fraud model's live features: the columns of src/ml/fraud/features.ts, which training rows and the
 * eval use too. A checkout maps onto them through checkoutFraudFacts and fraudFeatureVector.
 */
import { FRAUD_FEATURES, fraudFeatureVector, type FraudFacts, type SignupSource } from "../../../ml/fraud/features"

export { FRAUD_LINK_WINDOW_DAYS, IDENTITY_HISTORY_CAP, fraudFeatureVector, signupSourceOf, type FraudFacts, type SignupSource } from "../../../ml/fraud/features"

export const LIVE_FRAUD_FEATURES = FRAUD_FEATURES

export type LiveFraudFeature = (typeof LIVE_FRAUD_FEATURES)[number]

/** The model's point-in-time counts at a checkout (FraudModuleService.checkoutHistory computes them). */
export interface ModelCounts {
  accounts_on_device: number
  accounts_on_ip: number
  same_value_on_device: number
  /** Other accounts registered on the device before `now` (FraudModuleService.captureSignupSignal records them). */
  signups_on_device: number
  /** The customer's acquisition channel as their registration recorded it (null: not recorded, or a guest). */
  signup_source: SignupSource | null
}

/**
 * A checkout's facts at `now`. `signupAt` is the customer's creation time; a checkout with no customer
 * record at all (a guest screened as a guest) has no sign-up, so it is taken as now: the model then sees a
 * purchase at sign-up, the public data's bot pattern, and the order is held for review (README "Fraud holds").
 */
export function checkoutFraudFacts(input: { signupAt: Date | null; now: Date; purchaseValue: number; counts: ModelCounts }): FraudFacts {
  const purchaseAt = input.now.getTime()
  return {
    signupAt: input.signupAt ? input.signupAt.getTime() : purchaseAt,
    purchaseAt,
    purchaseValue: input.purchaseValue,
    accountsOnDevice: input.counts.accounts_on_device,
    accountsOnIp: input.counts.accounts_on_ip,
    sameValueOnDevice: input.counts.same_value_on_device,
    signupsOnDevice: input.counts.signups_on_device,
    signupSource: input.counts.signup_source,
  }
}

/** Kept for callers of the former signature: one feature row in LIVE_FRAUD_FEATURES order. */
export interface LiveFraudInput {
  signupAt: Date
  purchaseAt: Date
  purchaseValue: number
  accountsOnDevice: number
  accountsOnIp: number
  sameValueOnDevice: number
  /** Defaults to 0 (no other registration on the device). */
  signupsOnDevice?: number
  /** Defaults to null (channel not known). */
  signupSource?: SignupSource | null
}

export function liveFeatureRow(input: LiveFraudInput): number[] {
  return fraudFeatureVector({ ...input, signupsOnDevice: input.signupsOnDevice ?? 0, signupSource: input.signupSource ?? null, signupAt: input.signupAt.getTime(), purchaseAt: input.purchaseAt.getTime() })
}
