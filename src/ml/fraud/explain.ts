import { contributions } from "../trees/explain"
import type { FraudRow } from "./features"
import { buildFraudHistory, fraudFeatureRow, FraudHistory, FRAUD_FEATURES, toMillis } from "./features"
import type { FraudModel } from "./model"
import { fraudProbability, fraudScore } from "./model"

export interface FraudReason {
  /** Feature group, e.g. "seconds_to_purchase" or "browser". */
  feature: string
  direction: "up" | "down"
  /** Push on the model's log-odds. */
  impact: number
  sentence: string
}

export interface FraudExplanation {
  probability: number
  score: number
  reasons: FraudReason[]
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

function duration(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? "the same minute as" : `${Math.round(seconds)} seconds after`
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes after`
  if (seconds < 172800) return `${Math.round(seconds / 3600)} hours after`
  return `${Math.round(seconds / 86400)} days after`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`
}

type Describe = (v: (name: string) => number, row: FraudRow, up: boolean) => string

/** One plain-English sentence per feature group; `up` says whether it raised the risk. */
const DESCRIBE: Record<string, Describe> = {
  seconds_to_purchase: (v, _r, up) => {
    const s = v("seconds_to_purchase")
    const when = `Purchase came ${duration(s)} sign-up`
    if (s <= 60) return `${when} (typical of bots)`
    return up ? `${when}, sooner than most genuine customers` : `${when}, like most genuine customers`
  },
  accounts_on_device: (v) => {
    const n = v("accounts_on_device")
    return n <= 1 ? "Only one account uses this device" : `This device is shared by ${n} accounts`
  },
  accounts_on_ip: (v) => {
    const n = v("accounts_on_ip")
    return n <= 1 ? "No other account uses this IP address" : `${n} accounts use this IP address`
  },
  instant_buys_on_device: (v) => {
    const n = v("instant_buys_on_device")
    return n === 0
      ? "No other account on this device bought right after signing up"
      : `${plural(n, "other account")} on this device bought within a minute of signing up`
  },
  device_signup_span_hours: (v) => {
    const n = v("accounts_on_device")
    const h = v("device_signup_span_hours")
    if (n <= 1) return "No other sign-ups from this device"
    return h < 1 ? "The accounts on this device were created within an hour of each other" : `The accounts on this device were created ${Math.round(h)} hours apart`
  },
  same_value_on_device: (v) => {
    const n = v("same_value_on_device")
    return n === 0 ? "No other order on this device has the same amount" : `${plural(n, "other order")} on this device ${n === 1 ? "has" : "have"} exactly the same amount`
  },
  accounts_in_ip_block: (v) => `${plural(v("accounts_in_ip_block"), "order")} come from the same IP address range`,
  purchase_value: (v, _r, up) => `Order value of $${v("purchase_value")} is ${up ? "in a range often seen in fraud" : "in a range typical of genuine orders"}`,
  age: (v) => `Customer age ${v("age")}`,
  ip_address: (_v, r, up) => `IP address ${formatIp(r.ipAddress)} is in a range ${up ? "with more" : "with less"} fraud than average`,
  purchase_time: (v) => `Purchased at ${String(v("purchase_hour")).padStart(2, "0")}:00 on a ${WEEKDAYS[v("purchase_weekday")]}`,
  signup_time: (v) => `Signed up at ${String(v("signup_hour")).padStart(2, "0")}:00 on a ${WEEKDAYS[v("signup_weekday")]}`,
  signup_date: (_v, r) => `Account signed up in ${MONTHS[new Date(toMillis(r.signupTime)).getUTCMonth()] ?? "an unusual month"}`,
  sex: (_v, r) => `Customer is ${r.sex === "M" ? "male" : "female"}`,
  source: (_v, r) => `Came to the store via ${r.source}`,
  browser: (_v, r) => `Browses with ${r.browser}`,
}

/** Maps each model feature to the group a reviewer thinks in (one-hots and time parts merge). */
function groupOf(feature: string): string {
  if (feature.startsWith("source_")) return "source"
  if (feature.startsWith("browser_")) return "browser"
  if (feature === "sex_male") return "sex"
  if (feature === "purchase_hour" || feature === "purchase_weekday") return "purchase_time"
  if (feature === "signup_hour" || feature === "signup_weekday") return "signup_time"
  if (feature === "signup_day_of_year") return "signup_date"
  return feature
}

function formatIp(ip: number): string {
  const n = Math.floor(ip)
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".")
}

/**
 * Scores one order and names what pushed the score up and down (path contributions of the GBDT).
 * `history` holds the other orders used for device/IP counts; without it the row is judged alone.
 */
export function explainFraud(model: FraudModel, row: FraudRow, history?: FraudHistory, topK = 3): FraudExplanation {
  const h = history ?? buildFraudHistory([row])
  const self = h.rows.indexOf(row)
  const features = fraudFeatureRow(row, h, self)
  const probability = fraudProbability(model, features)
  const c = contributions(model.ensemble, features)
  const byGroup = new Map<string, number>()
  model.featureNames.forEach((f, i) => byGroup.set(groupOf(f), (byGroup.get(groupOf(f)) ?? 0) + c.values[i]))
  const value = (name: string) => features[FRAUD_FEATURES.indexOf(name)]
  const ranked = [...byGroup.entries()].filter(([, impact]) => Math.abs(impact) > 1e-6).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
  const pick = (up: boolean) =>
    ranked
      .filter(([, impact]) => impact > 0 === up)
      .slice(0, topK)
      .map(([feature, impact]) => ({
        feature,
        direction: up ? ("up" as const) : ("down" as const),
        impact,
        sentence: (DESCRIBE[feature] ?? ((_v, _r, u) => `${feature} ${u ? "raised" : "lowered"} the risk`))(value, row, up),
      }))
  return { probability, score: fraudScore(probability), reasons: [...pick(true), ...pick(false)] }
}
