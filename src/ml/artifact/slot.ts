import { OnnxScorer } from "../runtime/scorer"
import type { SessionOptions } from "../runtime/session"
import { ArtifactError, ModelArtifact, ParseExpectations, parseArtifact } from "./artifact"

/** A model ready to serve: its artifact and a loaded scorer. */
export interface LoadedModel<Reference = unknown> {
  artifact: ModelArtifact<Reference>
  scorer: OnnxScorer
}

export type OfferResult =
  | { ok: true; version: string; provider: string }
  | { ok: false; error: ArtifactError; keptVersion: string | null }

export interface ModelSlotOptions extends ParseExpectations {
  session?: SessionOptions
  /** Extra check on the loaded model (e.g. a known row scores as expected); throw to reject it. */
  verify?: (model: LoadedModel) => Promise<void> | void
}

/**
 * Holds the serving model of one kind. `offer` swaps in a new artifact only after it parses, matches the
 * expected kind/schema, loads into a session and passes a smoke run; otherwise the working model stays.
 */
export class ModelSlot<Reference = unknown> {
  private model: LoadedModel<Reference> | null = null

  constructor(private readonly options: ModelSlotOptions = {}) {}

  get current(): LoadedModel<Reference> | null {
    return this.model
  }

  async offer(bytes: Uint8Array | string): Promise<OfferResult> {
    let candidate: LoadedModel<Reference> | null = null
    try {
      candidate = await this.load(bytes)
      const previous = this.model
      this.model = candidate
      if (previous) await previous.scorer.release().catch(() => undefined)
      return { ok: true, version: candidate.artifact.version, provider: candidate.scorer.provider }
    } catch (e) {
      if (candidate) await candidate.scorer.release().catch(() => undefined)
      const error = e instanceof ArtifactError ? e : new ArtifactError("load", e instanceof Error ? e.message : String(e))
      return { ok: false, error, keptVersion: this.model?.artifact.version ?? null }
    }
  }

  private async load(bytes: Uint8Array | string): Promise<LoadedModel<Reference>> {
    const artifact = parseArtifact<Reference>(bytes, this.options)
    const scorer = await OnnxScorer.fromBytes(artifact.onnx, this.options.session)
    const model = { artifact, scorer }
    try {
      await smokeRun(model)
      await this.options.verify?.(model)
    } catch (e) {
      await scorer.release().catch(() => undefined)
      throw new ArtifactError("load", `model failed its smoke run: ${e instanceof Error ? e.message : String(e)}`)
    }
    return model
  }
}

/** Scores one all-zero row when the model takes a single float feature matrix; outputs must be finite. */
async function smokeRun(model: LoadedModel): Promise<void> {
  const { scorer, artifact } = model
  if (scorer.inputNames.length !== 1) return
  const width = artifact.featureSchema.length
  const out = await scorer.run({ [scorer.inputNames[0]]: { type: "float32", data: new Float32Array(width), dims: [1, width] } })
  for (const [name, t] of Object.entries(out)) {
    if (t.data instanceof Float32Array && !t.data.every(Number.isFinite)) throw new Error(`output ${name} is not finite`)
  }
}
