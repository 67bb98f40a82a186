import { mulberry32 } from "../../data/split"
import { rocAuc } from "../../metrics/classification"
import { explainFraud } from "../explain"
import { buildFraudFeatures, FraudRow, FRAUD_FEATURES, pointInTimeFacts } from "../features"
import { fraudProbabilities, trainFraudModel } from "../model"

const pad = (n: number) => String(n).padStart(2, "0")
const stamp = (ms: number) => {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`
}

/** Fraud is planted as "bought in the same minute as sign-up"; everything else is noise. */
function synthetic(n: number, seed: number): { rows: FraudRow[]; labels: Float64Array } {
  const rng = mulberry32(seed)
  const rows: FraudRow[] = []
  const labels = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const fraud = rng() < 0.2
    const signup = Date.UTC(2015, 0, 1) + Math.floor(rng() * 200) * 864e5 + Math.floor(rng() * 1440) * 6e4
    const gap = fraud ? 0 : Math.floor(1 + rng() * 60 * 24 * 30) * 6e4
    rows.push({
      signupTime: stamp(signup),
      purchaseTime: stamp(signup + gap),
      purchaseValue: 10 + Math.floor(rng() * 90),
      deviceId: `D${i}`,
      source: ["SEO", "Ads", "Direct"][Math.floor(rng() * 3)],
      browser: ["Chrome", "Safari"][Math.floor(rng() * 2)],
      sex: rng() < 0.5 ? "M" : "F",
      age: 18 + Math.floor(rng() * 50),
      ipAddress: Math.floor(rng() * 4e9),
    })
    labels[i] = fraud ? 1 : 0
  }
  return { rows, labels }
}

describe("fraud features, model and explanations", () => {
  it("counts devices point-in-time: only rows bought before, never later ones or labels", () => {
    const at = (day: number) => `2015-03-${pad(day)} 12:00:00`
    const base = { signupTime: "2015-03-01 08:00:00", purchaseValue: 30, source: "SEO", browser: "Chrome", sex: "F", age: 30, ipAddress: 1 }
    const rows: FraudRow[] = [
      { ...base, accountId: "later", purchaseTime: at(9), deviceId: "D" },
      { ...base, accountId: "first", purchaseTime: at(2), deviceId: "D" },
      { ...base, accountId: "same-instant", purchaseTime: at(2), deviceId: "D" },
      { ...base, accountId: "elsewhere", purchaseTime: at(5), deviceId: "E", ipAddress: 2, source: "Direct" },
    ]
    const x = buildFraudFeatures(rows)
    const col = (name: string) => rows.map((_, i) => x.data[i * x.nCols + FRAUD_FEATURES.indexOf(name as (typeof FRAUD_FEATURES)[number])])
    expect(col("accounts_on_device")).toEqual([3, 1, 1, 1])
    expect(col("same_value_on_device")).toEqual([2, 0, 0, 0])
    expect(col("accounts_on_ip")).toEqual([3, 1, 1, 1])
    // All three registered on D on March 1st: "first" already knows "later", who signed up but buys a week on.
    expect(col("signups_on_device")).toEqual([2, 2, 2, 0])
    expect(col("seconds_to_purchase")[1]).toBe(28 * 3600)
    expect(col("signup_source_direct")).toEqual([0, 0, 0, 1])
    expect(x.names).toEqual([...FRAUD_FEATURES])
  })

  it("learns the planted rule and explains a flagged order with it, in plain English", () => {
    const train = synthetic(1500, 2)
    const model = trainFraudModel(buildFraudFeatures(train.rows), train.labels, { seed: 3 })
    const test = synthetic(500, 4)
    const p = fraudProbabilities(model, buildFraudFeatures(test.rows))
    expect(rocAuc(test.labels, p)).toBeGreaterThan(0.99)
    const facts = pointInTimeFacts(test.rows)
    const fraudIdx = test.labels.findIndex((v) => v === 1)
    const flagged = explainFraud(model, facts[fraudIdx])
    expect(flagged.score).toBeGreaterThan(80)
    expect(flagged.reasons[0]).toMatchObject({ feature: "seconds_to_purchase", direction: "up" })
    expect(flagged.reasons[0].sentence).toMatch(/sign-up \(typical of bots\)/)
    const okIdx = test.labels.findIndex((v) => v === 0)
    const cleared = explainFraud(model, facts[okIdx])
    expect(cleared.score).toBeLessThan(20)
    const down = cleared.reasons.filter((r) => r.direction === "down")
    expect(down[0].feature).toBe("seconds_to_purchase")
  })
})
