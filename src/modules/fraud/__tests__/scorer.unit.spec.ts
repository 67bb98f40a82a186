/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { readFraudArtifact } from "../model/artifact-path"
import { liveFeatureRow } from "../model/features"
import { FraudScorer } from "../scoring/scorer"
import { exportLogisticRegression, parseArtifact, serializeArtifact } from "../../../ml/serving"

describe("fraud scorer", () => {
  const now = new Date("2026-03-02T15:00:00Z")
  const rows = [
    [10, 50, 1, 1, 0],
    [10, 50, 3, 3, 2],
    [30 * 86_400, 120, 1, 1, 0],
  ].map(([age, value, device, ip, same]) =>
    liveFeatureRow({ signupAt: new Date(now.getTime() - age * 1000), purchaseAt: now, purchaseValue: value, accountsOnDevice: device, accountsOnIp: ip, sameValueOnDevice: same })
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
})
