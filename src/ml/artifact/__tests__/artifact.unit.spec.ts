/**
 * @jest-environment ./src/ml/testing/node-realm-environment.js
 */
import { exportLogisticRegression } from "../../onnx/exporters"
import { ArtifactError, FeatureSpec, ModelArtifact, ModelSlot, parseArtifact, serializeArtifact } from "../index"

const schema: FeatureSpec[] = [
  { name: "cart_value", type: "float" },
  { name: "account_age_days", type: "int" },
]

function artifact(version: string, bias = 0.1): ModelArtifact<{ weights: number[]; bias: number }> {
  const reference = { weights: [0.5, -1], bias }
  return {
    kind: "fraud",
    version,
    featureSchema: schema,
    trainedOn: { from: "2017-01-01", to: "2017-12-31" },
    metrics: { roc_auc: 0.78 },
    createdAt: "2026-01-01T00:00:00.000Z",
    onnx: exportLogisticRegression(reference),
    reference,
  }
}

function expectArtifactError(fn: () => unknown, code: string, text: RegExp): void {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ArtifactError)
    expect((e as ArtifactError).code).toBe(code)
    expect((e as Error).message).toMatch(text)
    return
  }
  throw new Error("expected an ArtifactError")
}

describe("model artifacts", () => {
  it("round-trips every field and the ONNX bytes", () => {
    const a = artifact("v1")
    const parsed = parseArtifact(serializeArtifact(a), { kind: "fraud", featureSchema: schema })
    expect(parsed.checksum).toMatch(/^[0-9a-f]{64}$/)
    expect({ ...parsed, checksum: undefined, onnx: Buffer.from(parsed.onnx) }).toEqual({ ...a, checksum: undefined, onnx: Buffer.from(a.onnx) })
  })

  it("rejects corrupted bytes", () => {
    const bytes = serializeArtifact(artifact("v1"))
    expectArtifactError(() => parseArtifact(bytes.subarray(0, bytes.length - 10)), "corrupt", /not valid JSON/)
    expectArtifactError(() => parseArtifact(Buffer.from('{"hello":1}')), "corrupt", /not a medusa-uplift/)
  })

  it("rejects a checksum mismatch (content changed after signing)", () => {
    const json = serializeArtifact(artifact("v1")).toString("utf8").replace('"roc_auc":0.78', '"roc_auc":0.99')
    expectArtifactError(() => parseArtifact(json), "checksum", /checksum mismatch/)
  })

  it("rejects ONNX bytes that were swapped for garbage even with a matching checksum", () => {
    const a = { ...artifact("v1"), onnx: new Uint8Array([0xff, 0xff, 0xff, 0xff]) }
    expectArtifactError(() => parseArtifact(serializeArtifact(a)), "onnx", /do not decode|no graph/)
  })

  it("rejects a schema or kind mismatch, naming the feature", () => {
    const bytes = serializeArtifact(artifact("v1"))
    const expected: FeatureSpec[] = [schema[0], { name: "account_age_hours", type: "int" }]
    expectArtifactError(() => parseArtifact(bytes, { featureSchema: expected }), "schema", /account_age_days.*account_age_hours/)
    expectArtifactError(() => parseArtifact(bytes, { featureSchema: [schema[0]] }), "schema", /2 features, expected 1/)
    expectArtifactError(() => parseArtifact(bytes, { kind: "propensity" }), "kind", /expected a propensity model/)
  })

  it("ModelSlot swaps to a good model and keeps the working one on a bad one", async () => {
    const slot = new ModelSlot({ kind: "fraud", featureSchema: schema, session: { providers: ["cpu"] } })
    expect(slot.current).toBeNull()
    expect(await slot.offer(serializeArtifact(artifact("v1")))).toMatchObject({ ok: true, version: "v1", provider: "cpu" })

    const corrupt = serializeArtifact(artifact("v2")).subarray(0, 50)
    const r1 = await slot.offer(corrupt)
    expect(r1).toMatchObject({ ok: false, keptVersion: "v1" })
    const wrongSchema = serializeArtifact({ ...artifact("v3"), featureSchema: [schema[0]] })
    expect(await slot.offer(wrongSchema)).toMatchObject({ ok: false, keptVersion: "v1" })
    const nanBias = serializeArtifact({ ...artifact("v4"), onnx: exportLogisticRegression({ weights: [0, 0], bias: NaN }) })
    const r3 = await slot.offer(nanBias)
    expect(r3.ok).toBe(false)
    expect(slot.current?.artifact.version).toBe("v1")

    const out = await slot.current!.scorer.run({ features: { type: "float32", data: new Float32Array([0, 0]), dims: [1, 2] } })
    expect((out.probability.data as Float32Array)[0]).toBeCloseTo(1 / (1 + Math.exp(-0.1)), 6)
    expect(await slot.offer(serializeArtifact(artifact("v5", 0.2)))).toMatchObject({ ok: true, version: "v5" })
    expect(slot.current?.artifact.version).toBe("v5")
  })
})
