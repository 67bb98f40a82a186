import { AttributeType, DataType, DataTypeCode, OnnxSchema } from "./proto"

/** Default opsets: ONNX 17 and ai.onnx.ml 3 (TreeEnsembleRegressor with BRANCH_LEQ). */
export const ONNX_OPSET = 17
export const ONNX_ML_OPSET = 3
const IR_VERSION = 8

/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dim = number | string

/**
 * An attribute value. Plain numbers are INT when integral and FLOAT otherwise, plain arrays likewise
 * (strings -> STRINGS); use float()/floats()/ints() when the ONNX type must not depend on the values.
 */
export type AttributeValue =
  | number
  | string
  | number[]
  | string[]
  | { kind: "float"; value: number }
  | { kind: "floats"; values: number[] }
  | { kind: "ints"; values: number[] }

export interface TensorInit {
  name: string
  dims: number[]
  dataType: DataTypeCode
  data: Float32Array | BigInt64Array | Int32Array | Float64Array
}

interface NodeSpec {
  op: string
  inputs: string[]
  outputs: string[]
  domain?: string
  attributes?: Record<string, AttributeValue>
}

interface ValueSpec {
  name: string
  elemType: DataTypeCode
  shape: Dim[]
}

/** Accumulates nodes, initializers, inputs and outputs, then encodes an ONNX ModelProto. */
export class GraphBuilder {
  private readonly nodes: NodeSpec[] = []
  private readonly initializers: TensorInit[] = []
  private readonly inputs: ValueSpec[] = []
  private readonly outputs: ValueSpec[] = []
  private readonly metadata: Record<string, string> = {}
  private counter = 0
  private usesMl = false

  constructor(readonly name: string) {}

  input(name: string, elemType: DataTypeCode, shape: Dim[]): string {
    this.inputs.push({ name, elemType, shape })
    return name
  }

  output(name: string, elemType: DataTypeCode, shape: Dim[]): string {
    this.outputs.push({ name, elemType, shape })
    return name
  }

  floatTensor(name: string, dims: number[], data: ArrayLike<number>): string {
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, data: Float32Array.from(data) })
    return name
  }

  int64Tensor(name: string, dims: number[], data: ArrayLike<number>): string {
    this.initializers.push({ name, dims, dataType: DataType.INT64, data: BigInt64Array.from(Array.from(data), BigInt) })
    return name
  }

  /** Adds a node; returns its first output (named `${op}_${n}` unless outputs are given). */
  node(op: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, outputs?: string[], domain = ""): string {
    const outs = outputs ?? [`${op.toLowerCase()}_${this.counter++}`]
    if (domain === "ai.onnx.ml") this.usesMl = true
    this.nodes.push({ op, inputs, outputs: outs, domain, attributes })
    return outs[0]
  }

  meta(key: string, value: string): this {
    this.metadata[key] = value
    return this
  }

  /** Encodes the ModelProto bytes. */
  build(schema: OnnxSchema = new OnnxSchema()): Uint8Array {
    const type = schema.modelProto
    const opsets = [{ domain: "", version: ONNX_OPSET }]
    if (this.usesMl) opsets.push({ domain: "ai.onnx.ml", version: ONNX_ML_OPSET })
    const message = type.fromObject({
      ir_version: IR_VERSION,
      producer_name: "medusa-uplift",
      producer_version: "1",
      opset_import: opsets,
      metadata_props: Object.entries(this.metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.name,
        node: this.nodes.map(encodeNode),
        initializer: this.initializers.map(encodeTensor),
        input: this.inputs.map(encodeValueInfo),
        output: this.outputs.map(encodeValueInfo),
      },
    })
    return type.encode(message).finish()
  }
}

export function float(value: number): AttributeValue {
  return { kind: "float", value }
}

export function floats(values: ArrayLike<number>): AttributeValue {
  return { kind: "floats", values: Array.from(values) }
}

export function ints(values: ArrayLike<number>): AttributeValue {
  return { kind: "ints", values: Array.from(values) }
}

function encodeNode(n: NodeSpec): Record<string, unknown> {
  return {
    op_type: n.op,
    input: n.inputs,
    output: n.outputs,
    name: `${n.op}:${n.outputs[0]}`,
    domain: n.domain ?? "",
    attribute: Object.entries(n.attributes ?? {}).map(([name, v]) => encodeAttribute(name, v)),
  }
}

function encodeAttribute(name: string, v: AttributeValue): Record<string, unknown> {
  if (typeof v === "string") return { name, type: AttributeType.STRING, s: Buffer.from(v, "utf8") }
  if (typeof v === "number")
    return Number.isInteger(v) ? { name, type: AttributeType.INT, i: v } : { name, type: AttributeType.FLOAT, f: v }
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "string"))
      return { name, type: AttributeType.STRINGS, strings: (v as string[]).map((s) => Buffer.from(s, "utf8")) }
    const nums = v as number[]
    return nums.every(Number.isInteger)
      ? { name, type: AttributeType.INTS, ints: nums }
      : { name, type: AttributeType.FLOATS, floats: nums }
  }
  if (v.kind === "float") return { name, type: AttributeType.FLOAT, f: v.value }
  if (v.kind === "floats") return { name, type: AttributeType.FLOATS, floats: v.values }
  return { name, type: AttributeType.INTS, ints: v.values }
}

function encodeTensor(t: TensorInit): Record<string, unknown> {
  const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)
  return { name: t.name, dims: t.dims, data_type: t.dataType, raw_data: littleEndian(bytes) }
}

/** ONNX raw_data is little-endian; copy so the message owns its bytes. */
function littleEndian(bytes: Buffer): Buffer {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("big-endian hosts are not supported")
  return Buffer.from(bytes)
}

function encodeValueInfo(v: ValueSpec): Record<string, unknown> {
  return {
    name: v.name,
    type: {
      tensor_type: {
        elem_type: v.elemType,
        shape: { dim: v.shape.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
      },
    },
  }
}

/** Decodes model bytes (throws on malformed protobuf); used to validate artifacts before loading them. */
export function decodeModel(
  bytes: Uint8Array,
  schema: OnnxSchema = new OnnxSchema()
): { graphName: string; opsets: Record<string, number>; metadata: Record<string, string> } {
  const type = schema.modelProto
  const m = type.toObject(type.decode(bytes), { longs: Number, defaults: false }) as {
    graph?: { name?: string; node?: unknown[] }
    opset_import?: { domain?: string; version?: number }[]
    metadata_props?: { key: string; value: string }[]
  }
  if (!m.graph || !m.graph.node || m.graph.node.length === 0) throw new Error("ONNX model has no graph nodes")
  const opsets: Record<string, number> = {}
  for (const o of m.opset_import ?? []) opsets[o.domain ?? ""] = o.version ?? 0
  const metadata: Record<string, string> = {}
  for (const p of m.metadata_props ?? []) metadata[p.key] = p.value
  return { graphName: m.graph.name ?? "", opsets, metadata }
}
