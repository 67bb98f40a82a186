import type { LiveFraudFeature } from "../model/features"

export type Sentiment = "positive" | "neutral" | "negative"

/** A risk fact shown to reviewers: one short sentence and whether it speaks for or against the order. */
export interface RiskFact {
  code: string
  message: string
  sentiment: Sentiment
  /** Push on the model's log-odds, when the fact comes from the model. */
  impact?: number
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} seconds`
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} hours`
  return `${Math.round(seconds / 86_400)} days`
}

type Group = "account_age" | "value" | "device" | "ip" | "same_value" | "device_signups" | "purchase_time" | "signup_time" | "signup_source"

const GROUP: Record<LiveFraudFeature, Group> = {
  seconds_to_purchase: "account_age",
  purchase_value: "value",
  accounts_on_device: "device",
  accounts_on_ip: "ip",
  same_value_on_device: "same_value",
  signups_on_device: "device_signups",
  purchase_hour: "purchase_time",
  purchase_weekday: "purchase_time",
  signup_hour: "signup_time",
  signup_weekday: "signup_time",
  signup_source_direct: "signup_source",
}

const DESCRIBE: Record<Group, (v: (f: LiveFraudFeature) => number, up: boolean) => string> = {
  account_age: (v, up) => `Account was created ${duration(v("seconds_to_purchase"))} before this purchase${up ? ", sooner than most genuine customers" : ""}`,
  value: (v, up) => `Order value ${v("purchase_value").toFixed(2)} is in a range ${up ? "often seen in fraud" : "typical of genuine orders"}`,
  device: (v) => (v("accounts_on_device") <= 1 ? "Only this account uses this device" : `This device is shared by ${v("accounts_on_device")} accounts`),
  ip: (v) => (v("accounts_on_ip") <= 1 ? "No other account uses this IP address" : `${v("accounts_on_ip")} accounts use this IP address`),
  same_value: (v) => (v("same_value_on_device") === 0 ? "No other checkout on this device has the same amount" : `${v("same_value_on_device")} other checkouts on this device have exactly this amount`),
  device_signups: (v) =>
    v("signups_on_device") === 0 ? "No other account signed up on this device" : `${v("signups_on_device")} other accounts signed up on this device before this purchase`,
  purchase_time: (v) => `Purchased at ${String(v("purchase_hour")).padStart(2, "0")}:00 UTC on a ${WEEKDAYS[v("purchase_weekday")]}`,
  signup_time: (v) => `Signed up at ${String(v("signup_hour")).padStart(2, "0")}:00 UTC on a ${WEEKDAYS[v("signup_weekday")]}`,
  signup_source: (v) =>
    v("signup_source_direct") === 1 ? "The account signed up directly, not from a search engine or an ad" : "The account did not sign up directly (from a search engine, an ad, or not known)",
}

/** The strongest model contributions (by feature group) in words, risk-raising ones first. */
export function modelFacts(names: readonly string[], row: ArrayLike<number>, contributions: ArrayLike<number>, topK = 3): RiskFact[] {
  const byGroup = new Map<Group, number>()
  names.forEach((name, i) => {
    const g = GROUP[name as LiveFraudFeature]
    if (g) byGroup.set(g, (byGroup.get(g) ?? 0) + contributions[i])
  })
  const value = (f: LiveFraudFeature) => row[names.indexOf(f)]
  const ranked = [...byGroup.entries()].filter(([, impact]) => Math.abs(impact) > 0.05).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
  const pick = (up: boolean) =>
    ranked
      .filter(([, impact]) => impact > 0 === up)
      .slice(0, topK)
      .map(([group, impact]) => ({
        code: `model.${group}`,
        message: DESCRIBE[group](value, up),
        sentiment: (up ? "negative" : "positive") as Sentiment,
        impact: Math.round(impact * 1000) / 1000,
      }))
  return [...pick(true), ...pick(false)]
}

/** Which client signals the storefront sent for this checkout. */
export interface SentSignals {
  device: boolean
  ip: boolean
}

/** Model fact groups computed from a client signal: without the signal their value is a default, not evidence. */
const GROUPS_NEEDING: Record<keyof SentSignals, Group[]> = { device: ["device", "same_value", "device_signups"], ip: ["ip"] }

/**
 * Drops model facts about a signal the storefront did not send: with no device id the model sees "one
 * account on this device", which must not read as reassurance beside "The storefront sent no device id".
 */
export function factsForSentSignals(facts: RiskFact[], sent: SentSignals): RiskFact[] {
  const unsent = new Set((Object.keys(GROUPS_NEEDING) as (keyof SentSignals)[]).filter((signal) => !sent[signal]).flatMap((signal) => GROUPS_NEEDING[signal]))
  return facts.filter((fact) => !unsent.has(fact.code.replace(/^model\./, "") as Group))
}
