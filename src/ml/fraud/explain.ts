import { contributions } from "../trees/explain"
import type { FraudFacts } from "./features"
import { fraudFeatureVector, FRAUD_FEATURES } from "./features"
import type { FraudModel } from "./model"
import { fraudProbability, fraudScore } from "./model"

export interface FraudReason {
  /** Feature group, e.g. "seconds_to_purchase" or "purchase_time". */
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

function duration(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? "the same minute as" : `${Math.round(seconds)} seconds after`
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes after`
  if (seconds < 172800) return `${Math.round(seconds / 3600)} hours after`
  return `${Math.round(seconds / 86400)} days after`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`
}

type Describe = (v: (name: string) => number, up: boolean) => string

/** One plain-English sentence per feature group; `up` says whether it raised the risk. */
const DESCRIBE: Record<string, Describe> = {
  seconds_to_purchase: (v, up) => {
    const s = v("seconds_to_purchase")
    const when = `Purchase came ${duration(s)} sign-up`
    if (s <= 60) return `${when} (typical of bots)`
    return up ? `${when}, sooner than most genuine customers` : `${when}, like most genuine customers`
  },
  accounts_on_device: (v) => {
    const n = v("accounts_on_device")
    return n <= 1 ? "No other account used this device before" : `${plural(n - 1, "other account")} used this device before`
  },
  accounts_on_ip: (v) => {
    const n = v("accounts_on_ip")
    return n <= 1 ? "No other account used this IP address before" : `${plural(n - 1, "other account")} used this IP address before`
  },
  same_value_on_device: (v) => {
    const n = v("same_value_on_device")
    return n === 0 ? "No earlier order on this device has the same amount" : `${plural(n, "earlier order")} on this device ${n === 1 ? "has" : "have"} exactly the same amount`
  },
  signups_on_device: (v) => {
    const n = v("signups_on_device")
    return n === 0 ? "No other account signed up on this device before" : `${plural(n, "other account")} signed up on this device before`
  },
  signup_source_direct: (v) => (v("signup_source_direct") === 1 ? "The account signed up directly, not from a search engine or an ad" : "The account signed up from a search engine or an ad"),
  purchase_value: (v, up) => `Order value of $${v("purchase_value")} is ${up ? "in a range often seen in fraud" : "in a range typical of genuine orders"}`,
  purchase_time: (v) => `Purchased at ${String(v("purchase_hour")).padStart(2, "0")}:00 on a ${WEEKDAYS[v("purchase_weekday")]}`,
  signup_time: (v) => `Signed up at ${String(v("signup_hour")).padStart(2, "0")}:00 on a ${WEEKDAYS[v("signup_weekday")]}`,
}

/** Maps each model feature to the group a reviewer thinks in (time parts merge). */
function groupOf(feature: string): string {
  if (feature === "purchase_hour" || feature === "purchase_weekday") return "purchase_time"
  if (feature === "signup_hour" || feature === "signup_weekday") return "signup_time"
  return feature
}

/** Scores one order from its point-in-time facts and names what pushed the score up and down (path contributions of the GBDT). */
export function explainFraud(model: FraudModel, facts: FraudFacts, topK = 3): FraudExplanation {
  const features = fraudFeatureVector(facts)
  const probability = fraudProbability(model, features)
  const c = contributions(model.ensemble, features)
  const byGroup = new Map<string, number>()
  model.featureNames.forEach((f, i) => byGroup.set(groupOf(f), (byGroup.get(groupOf(f)) ?? 0) + c.values[i]))
  const value = (name: string) => features[FRAUD_FEATURES.indexOf(name as (typeof FRAUD_FEATURES)[number])]
  const ranked = [...byGroup.entries()].filter(([, impact]) => Math.abs(impact) > 1e-6).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
  const pick = (up: boolean) =>
    ranked
      .filter(([, impact]) => impact > 0 === up)
      .slice(0, topK)
      .map(([feature, impact]) => ({
        feature,
        direction: up ? ("up" as const) : ("down" as const),
        impact,
        sentence: (DESCRIBE[feature] ?? ((_v, u) => `${feature} ${u ? "raised" : "lowered"} the risk`))(value, up),
      }))
  return { probability, score: fraudScore(probability), reasons: [...pick(true), ...pick(false)] }
}
