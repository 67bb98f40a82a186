import { RecsModel } from "./types"



/** JSON text of a recommender model; typed arrays travel as tagged base64 so they round-trip exactly. */
export function serializeRecsModel(model: RecsModel): string {
  return JSON.stringify(model, (_key, value) => tagTypedArray(value))
}

export function parseRecsModel(json: string): RecsModel {
  const model = JSON.parse(json, (_key, value) => untagTypedArray(value)) as RecsModel
  if (model?.kind !== "hybrid-recs" || model.version !== 1) throw new Error("not a hybrid-recs v1 model")
  return model
}

/**
 * The model of an already parsed JSON value (an artifact's reference holds it as plain JSON): its tagged
 * arrays decoded in place of a round trip through one more JSON string of the whole model.
 */
export function recsModelOf(value: unknown): RecsModel {
  const model = untagDeep(value) as RecsModel
  if (model?.kind !== "hybrid-recs" || model.version !== 1) throw new Error("not a hybrid-recs v1 model")
  return model
}

function untagDeep(value: unknown): unknown {
  if (!value || typeof value !== "object") return value
  if (Array.isArray(value)) return value.map(untagDeep)
  const untagged = untagTypedArray(value)
  if (untagged !== value) return untagged
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, untagDeep(inner)]))
}

function tagTypedArray(value: unknown): unknown {
  const base64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("base64")
  if (value instanceof Float32Array) return { $f32: base64(value) }
  if (value instanceof Float64Array) return { $f64: base64(value) }
  if (value instanceof Int32Array) return { $i32: base64(value) }
  return value
}

function untagTypedArray(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value
  const t = value as Partial<Record<"$f32" | "$f64" | "$i32", string>>
  const bytes = (s: string) => {
    const b = Buffer.from(s, "base64")
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)
  }
  if (t.$f32 !== undefined) return new Float32Array(bytes(t.$f32))
  if (t.$f64 !== undefined) return new Float64Array(bytes(t.$f64))
  if (t.$i32 !== undefined) return new Int32Array(bytes(t.$i32))
  return value
}
