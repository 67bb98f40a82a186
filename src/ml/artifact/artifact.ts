import { createHash } from "crypto"
import { decodeModel } from "../onnx/builder"
import type { OnnxSchema } from "../onnx/proto"

export type ArtifactKind = "propensity" | "response" | "fraud" | "recommender"
export type FeatureType = "float" | "int" | "bool" | "category"

export interface FeatureSpec {
  name: string
  type: FeatureType
}

/** A trained model as shipped between trainer and servers. */
export interface ModelArtifact<Reference = unknown> {
  kind: ArtifactKind
  version: string
  featureSchema: FeatureSpec[]
  /** Span of the training data, ISO dates. */
  trainedOn: { from: string; to: string }
  metrics: Record<string, number>
  createdAt: string
  onnx: Uint8Array
  /** Plain JSON parameters for the TypeScript reference scorer. */
  reference: Reference
  /** sha256 (hex) of the canonical envelope without this field; filled by serializeArtifact. */
  checksum?: string
}

export type ArtifactErrorCode = "corrupt" | "checksum" | "schema" | "kind" | "onnx" | "load"

export class ArtifactError extends Error {
  constructor(
    readonly code: ArtifactErrorCode,
    message: string
  ) {
    super(`model artifact ${code}: ${message}`)
    this.name = "ArtifactError"
  }
}

const FORMAT = "medusa-uplift/model-artifact"
const FORMAT_VERSION = 1
const KINDS: ArtifactKind[] = ["propensity", "response", "fraud", "recommender"]

interface Envelope {
  format: string
  formatVersion: number
  kind: ArtifactKind
  version: string
  featureSchema: FeatureSpec[]
  trainedOn: { from: string; to: string }
  metrics: Record<string, number>
  createdAt: string
  onnxBase64: string
  reference: unknown
  checksum?: string
}

/** JSON envelope (UTF-8 bytes) with the ONNX model in base64 and a sha256 over everything else. */
export function serializeArtifact(a: ModelArtifact): Buffer {
  const envelope: Envelope = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    kind: a.kind,
    version: a.version,
    featureSchema: a.featureSchema,
    trainedOn: a.trainedOn,
    metrics: a.metrics,
    createdAt: a.createdAt,
    onnxBase64: Buffer.from(a.onnx).toString("base64"),
    reference: a.reference,
  }
  envelope.checksum = checksumOf(envelope)
  return Buffer.from(JSON.stringify(envelope), "utf8")
}

export interface ParseExpectations {
  kind?: ArtifactKind
  featureSchema?: FeatureSpec[]
  /** The ONNX schema to decode with: callers that parse repeatedly pass the one they hold. */
  onnxSchema?: OnnxSchema
}

/** Parses and verifies an artifact; any defect throws an ArtifactError naming it. */
export function parseArtifact<Reference = unknown>(bytes: Uint8Array | string, expect: ParseExpectations = {}): ModelArtifact<Reference> {
  const envelope = readEnvelope(bytes)
  const actual = checksumOf(envelope)
  if (envelope.checksum !== actual)
    throw new ArtifactError("checksum", `checksum mismatch: recorded ${envelope.checksum ?? "none"}, computed ${actual}`)
  if (expect.kind && envelope.kind !== expect.kind)
    throw new ArtifactError("kind", `expected a ${expect.kind} model, got ${envelope.kind}`)
  if (expect.featureSchema) assertSchema(envelope.featureSchema, expect.featureSchema)
  const onnx = new Uint8Array(Buffer.from(envelope.onnxBase64, "base64"))
  try {
    decodeModel(onnx, expect.onnxSchema)
  } catch (e) {
    throw new ArtifactError("onnx", `ONNX bytes do not decode: ${e instanceof Error ? e.message : String(e)}`)
  }
  return {
    kind: envelope.kind,
    version: envelope.version,
    featureSchema: envelope.featureSchema,
    trainedOn: envelope.trainedOn,
    metrics: envelope.metrics,
    createdAt: envelope.createdAt,
    onnx,
    reference: envelope.reference as Reference,
    checksum: envelope.checksum,
  }
}

function readEnvelope(bytes: Uint8Array | string): Envelope {
  let parsed: unknown
  try {
    parsed = JSON.parse(typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"))
  } catch (e) {
    throw new ArtifactError("corrupt", `not valid JSON (${e instanceof Error ? e.message : String(e)})`)
  }
  const env = parsed as Partial<Envelope>
  if (!env || typeof env !== "object" || env.format !== FORMAT)
    throw new ArtifactError("corrupt", `not a ${FORMAT} document`)
  if (env.formatVersion !== FORMAT_VERSION)
    throw new ArtifactError("corrupt", `unsupported format version ${String(env.formatVersion)}`)
  const missing = ["kind", "version", "featureSchema", "trainedOn", "metrics", "createdAt", "onnxBase64"].filter(
    (k) => (env as Record<string, unknown>)[k] === undefined
  )
  if (missing.length > 0) throw new ArtifactError("corrupt", `missing field(s) ${missing.join(", ")}`)
  if (!KINDS.includes(env.kind as ArtifactKind)) throw new ArtifactError("corrupt", `unknown kind ${String(env.kind)}`)
  return env as Envelope
}

function assertSchema(actual: FeatureSpec[], expected: FeatureSpec[]): void {
  const problems: string[] = []
  if (actual.length !== expected.length) problems.push(`${actual.length} features, expected ${expected.length}`)
  for (let k = 0; k < Math.min(actual.length, expected.length); k++) {
    const a = actual[k]
    const e = expected[k]
    if (a.name !== e.name) problems.push(`feature ${k} is "${a.name}", expected "${e.name}"`)
    else if (a.type !== e.type) problems.push(`feature "${a.name}" has type ${a.type}, expected ${e.type}`)
  }
  if (problems.length > 0) throw new ArtifactError("schema", `feature schema mismatch: ${problems.slice(0, 5).join("; ")}`)
}

function checksumOf(envelope: Envelope): string {
  const { checksum: _ignored, ...rest } = envelope
  return createHash("sha256").update(canonicalJson(rest)).digest("hex")
}

/** JSON with object keys sorted at every level, so the checksum does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null"
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
}
