/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { readFraudArtifact } from "../model/artifact-path"
import { liveFeatureRow } from "../model/features"
import { FraudScorer } from "../scoring/scorer"
import { exportLogisticRegression, parseArtifact, serializeArtifact } from "../../../ml/serving"
import { decide, DEFAULT_THRESHOLDS } from "../rules/evaluate"
import { applyNewAccountPolicy, isLoneNewAccount } from "../rules/new-account"

describe("fraud scorer", () => {
  const now = new Date("2026-03-02T15:00:00Z")
  const rows = [
    [10, 50, 1, 1, 0],
    [10, 50, 3, 3, 2],
    [30 * 86_400, 120, 1, 1, 0],
  ].map(([age, value, device, ip, same]) =>
    // The accounts seen on a device signed up before: signups_on_device counts them (a store's query does too).
    liveFeatureRow({ signupAt: new Date(now.getTime() - age * 1000), purchaseAt: now, purchaseValue: value, accountsOnDevice: device, accountsOnIp: ip, sameValueOnDevice: same, signupsOnDevice: device - 1 })
  )

  it("serves the shipped artifact with ONNX Runtime, matching the TypeScript reference", async () => {
    const onnx = new FraudScorer()
    // Same trees, an ONNX graph that fails the slot's smoke run (3 inputs, not 9): the scorer falls back to the TypeScript reference.
    const reference = new FraudScorer(() => {
      const artifact = parseArtifact(readFraudArtifact().bytes)
      return { source: "test", bytes: serializeArtifact({ ...artifact, version: "no-onnx", onnx: exportLogisticRegression({ weights: [1, 2, 3], bias: 0 }) }) }
    })
    await onnx.load()
    expect(onnx.engine).toBe("onnx")
    expect(onnx.version).toMatch(/^fraud-gbdt-/)
    const scores: number[] = []
    for (const row of rows) {
      const s = await onnx.score(row)
      expect(s.engine).toBe("onnx")
      expect(s.facts.length).toBeGreaterThan(0)
      scores.push(s.score)
    }
    // Fresh single-device account < shared device; an old account is low risk.
    expect(scores[1]).toBeGreaterThan(scores[0])
    expect(scores[2]).toBeLessThan(scores[0])
    await reference.load()
    expect(reference.engine).toBe("reference")
    expect(reference.loadError).toMatch(/ONNX session unavailable/)
    expect((await reference.score(rows[1])).probability).toBeCloseTo((await onnx.score(rows[1])).probability, 5)
  })

  it("throws when the artifact is corrupt, so the caller can fail safe", async () => {
    const broken = new FraudScorer(() => ({ source: "test", bytes: Buffer.from("{not json") }))
    await expect(broken.score(rows[0])).rejects.toThrow(/corrupt/)
    expect(broken.engine).toBeNull()
  })

  it("a brand-new account: the shipped model scores it high, the score alone does not hold it, a second signal does", async () => {
    const scorer = new FraudScorer()
    const scoreOf = async (ageSeconds: number, device = 1) =>
      (await scorer.score(liveFeatureRow({ signupAt: new Date(now.getTime() - ageSeconds * 1000), purchaseAt: now, purchaseValue: 40, accountsOnDevice: device, accountsOnIp: 1, sameValueOnDevice: 0, signupsOnDevice: device - 1 }))).score
    const alone = await scoreOf(30)
    const atSignup = await scoreOf(0)
    const sharedDevice = await scoreOf(30, 2)
    const dayOld = await scoreOf(86_400)
    // The public data: every purchase in the sign-up minute is fraud, 22 of 30 within the first hour are. The
    // shipped model scores a lone new account just under the default hold threshold (79); a store holding at 75
    // would hold it by score, which is where the new-account policy decides.
    const thresholds = { ...DEFAULT_THRESHOLDS, hold_score: 75 }
    expect(atSignup).toBeGreaterThanOrEqual(95)
    expect(alone).toBeGreaterThanOrEqual(thresholds.hold_score)
    expect(sharedDevice).toBeGreaterThan(alone)
    expect(dayOld).toBeLessThan(20)

    const signals = { "customer.account_age_hours": 30 / 3600, "customer.order_count": 0, accounts_per_address: 1, accounts_per_normalized_email: 1 }
    const counts = { accounts_on_device: 1, accounts_on_ip: 1, same_value_on_device: 0, signups_on_device: 0, signup_source: null }
    const decideFor = (score: number, s: Record<string, number | null> = signals, c = counts) =>
      applyNewAccountPolicy(decide([], s, score, thresholds, String), isLoneNewAccount(s, c))
    expect(decideFor(alone)).toMatchObject({ decision: "allow", reason: expect.stringMatching(/brand-new account with no other risk signal on its device, address or email/) })
    // A shared IP (NAT, offices) or an earlier order of the same account is no device evidence.
    expect(decideFor(alone, { ...signals, "customer.order_count": 1 }, { ...counts, accounts_on_ip: 3 }).decision).toBe("allow")
    expect(decideFor(sharedDevice, signals, { ...counts, accounts_on_device: 2, signups_on_device: 1 }).decision).toBe("hold")
    expect(sharedDevice).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.hold_score!)
    expect(decideFor(alone, signals, { ...counts, same_value_on_device: 1 }).decision).toBe("hold")
    // Another account registered on the device before is device evidence too.
    expect(decideFor(alone, signals, { ...counts, signups_on_device: 1 }).decision).toBe("hold")
    expect(decideFor(alone, { ...signals, accounts_per_address: 2 }).decision).toBe("hold")
    // Not brand new (a day old) or no customer record at all: the score decides.
    expect(decideFor(alone, { ...signals, "customer.account_age_hours": 24 }).decision).toBe("hold")
    expect(decideFor(atSignup, { ...signals, "customer.account_age_hours": null }).decision).toBe("hold")
    // A merchant rule still holds a lone new account.
    const rule = { id: "r", name: "New accounts", enabled: true, priority: 0, action: "hold" as const, conditions: [{ field: "customer.account_age_hours", operator: "lt" as const, value: 1 }] }
    expect(applyNewAccountPolicy(decide([rule], signals, alone, thresholds, String), true)).toMatchObject({ decision: "hold", rule: { id: "r" } })
  })
})
