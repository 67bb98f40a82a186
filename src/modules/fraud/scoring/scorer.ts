import { ModelSlot, OnnxSchema, parseArtifact } from "../../../ml/serving"
import { calibrate, contributions, predictRawRow } from "../../../ml/tabular"
import type { Calibrator, TreeEnsemble } from "../../../ml/tabular"
import { LIVE_FRAUD_FEATURES } from "../model/features"
import { readFraudArtifact } from "../model/artifact-path"
import { modelFacts, RiskFact } from "./facts"

export interface FraudReference {
  ensemble: TreeEnsemble
  calibrator: Calibrator
}

export interface ScoreResult {
  probability: number
  score: number
  version: string
  engine: "onnx" | "reference"
  facts: RiskFact[]
}

const SCHEMA = LIVE_FRAUD_FEATURES.map((name) => ({ name, type: "float" as const }))

/**
 * The checkout fraud model: the shipped artifact served by ONNX Runtime through a ModelSlot, the
 * TypeScript reference scorer when the session cannot load. `score` throws when neither is available.
 */
export class FraudScorer {
  /** What artifacts are checked with, here and in the slot: parsed once per scorer. */
  private readonly expect = { kind: "fraud" as const, featureSchema: SCHEMA, onnxSchema: new OnnxSchema() }
  private slot = new ModelSlot<FraudReference>({ ...this.expect, session: { providers: ["cpu"], intraOpNumThreads: 1 } })
  private reference: { version: string; model: FraudReference } | null = null
  private loading: Promise<void> | null = null
  loadError: string | null = null

  constructor(private readonly read: () => { source: string; bytes: Buffer } = readFraudArtifact) {}

  /** Loads once; later calls reuse the outcome. */
  load(): Promise<void> {
    this.loading ??= this.loadNow()
    return this.loading
  }

  get version(): string | null {
    return this.slot.current?.artifact.version ?? this.reference?.version ?? null
  }

  get engine(): "onnx" | "reference" | null {
    return this.slot.current ? "onnx" : this.reference ? "reference" : null
  }

  private async loadNow(): Promise<void> {
    let bytes: Buffer
    try {
      bytes = this.read().bytes
    } catch (e) {
      this.loadError = `cannot read the fraud model: ${(e as Error).message}`
      return
    }
    try {
      const artifact = parseArtifact<FraudReference>(bytes, this.expect)
      this.reference = { version: artifact.version, model: artifact.reference }
    } catch (e) {
      this.loadError = (e as Error).message
      return
    }
    const offered = await this.slot.offer(bytes)
    if (!offered.ok) this.loadError = `ONNX session unavailable, using the TypeScript scorer: ${offered.error.message}`
  }

  /** Id of the registry version this scorer serves (null: the shipped artifact). */
  adoptedVersionId: string | null = null

  /**
   * Serves a retrained version from the model registry. The current model stays unless the new
   * artifact parses, matches the feature schema and (for ONNX) loads.
   */
  async adopt(versionId: string, bytes: string): Promise<boolean> {
    await this.load()
    try {
      const artifact = parseArtifact<FraudReference>(bytes, this.expect)
      const offered = await this.slot.offer(bytes)
      this.reference = { version: artifact.version, model: artifact.reference }
      this.loadError = offered.ok ? null : `ONNX session unavailable, using the TypeScript scorer: ${offered.error.message}`
      this.adoptedVersionId = versionId
      return true
    } catch {
      return false
    }
  }

  async score(row: number[]): Promise<ScoreResult> {
    await this.load()
    if (!this.reference) throw new Error(this.loadError ?? "risk model not loaded")
    const { ensemble, calibrator } = this.reference.model
    const current = this.slot.current
    let probability: number
    let engine: ScoreResult["engine"] = "reference"
    if (current) {
      const out = await current.scorer.run({ features: { type: "float32", data: Float32Array.from(row), dims: [1, row.length] } })
      probability = (out.probability.data as Float32Array)[0]
      engine = "onnx"
    } else {
      probability = calibrate(calibrator, predictRawRow(ensemble, row))
    }
    if (!Number.isFinite(probability)) throw new Error("risk model returned a non-finite probability")
    const c = contributions(ensemble, row)
    return {
      probability,
      score: Math.max(0, Math.min(100, Math.round(100 * probability))),
      version: this.version!,
      engine,
      facts: modelFacts(ensemble.featureNames, row, c.values),
    }
  }
}
