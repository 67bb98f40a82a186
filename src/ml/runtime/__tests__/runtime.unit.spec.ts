/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { exportLogisticRegression } from "../../onnx/exporters"
import { OnnxScorer, floatInput, loadSession } from "../index"

const model = exportLogisticRegression({ weights: [0.5, -1], bias: 0.1 })

describe("onnx runtime loading", () => {
  it("falls back to cpu when cuda is requested but unavailable, and says so", async () => {
    const loaded = await loadSession(model, { providers: ["cuda", "cpu"], intraOpNumThreads: 1 })
    // On a host with CUDA 12 + cuDNN 9 installed the session legitimately stays on cuda.
    if (loaded.provider === "cuda") return
    expect(loaded.provider).toBe("cpu")
    expect(loaded.fallbackReason).toBeTruthy()
    expect(loaded.inputNames).toEqual(["features"])
  })

  it("scores on the default providers with a usable provider reported", async () => {
    const scorer = await OnnxScorer.fromBytes(model)
    expect(["cuda", "cpu"]).toContain(scorer.provider)
    const out = await scorer.run({ features: floatInput(new Float32Array([2, 1]), [1, 2]) })
    expect((out.probability.data as Float32Array)[0]).toBeCloseTo(1 / (1 + Math.exp(-0.1)), 6)
  })

  it("reports cpu without a fallback when only cpu is requested", async () => {
    const loaded = await loadSession(model, { providers: ["cpu"] })
    expect(loaded.provider).toBe("cpu")
    expect(loaded.fallbackReason).toBeUndefined()
  })

  it("rejects bytes that are not a model", async () => {
    await expect(loadSession(new Uint8Array([1, 2, 3, 4]), { providers: ["cpu"] })).rejects.toThrow()
  })
})
