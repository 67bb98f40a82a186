import * as ort from "onnxruntime-node"
import { LoadedSession, SessionOptions, loadSession } from "./session"

export type FeedValue =
  | { type: "float32"; data: Float32Array; dims: number[] }
  | { type: "int64"; data: BigInt64Array; dims: number[] }

export interface OutputTensor {
  data: Float32Array | BigInt64Array | Int32Array
  dims: readonly number[]
}

/** A loaded model with typed run helpers. `run` blocks the event loop for the kernel's duration. */
export class OnnxScorer {
  private constructor(private readonly loaded: LoadedSession) {}

  static async fromBytes(bytes: Uint8Array, options?: SessionOptions): Promise<OnnxScorer> {
    return new OnnxScorer(await loadSession(bytes, options))
  }

  get provider(): string {
    return this.loaded.provider
  }

  get fallbackReason(): string | undefined {
    return this.loaded.fallbackReason
  }

  get inputNames(): readonly string[] {
    return this.loaded.inputNames
  }

  get outputNames(): readonly string[] {
    return this.loaded.outputNames
  }

  async run(inputs: Record<string, FeedValue>): Promise<Record<string, OutputTensor>> {
    const feeds: Record<string, ort.Tensor> = {}
    for (const [name, v] of Object.entries(inputs)) feeds[name] = new ort.Tensor(v.type, v.data, v.dims)
    const out = await this.loaded.session.run(feeds)
    const result: Record<string, OutputTensor> = {}
    for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as OutputTensor["data"], dims: t.dims }
    return result
  }

  /** Rows x features float matrix in, one named float output back. */
  async runMatrix(input: string, data: Float32Array, rows: number, output: string): Promise<Float32Array> {
    const out = await this.run({ [input]: floatInput(data, [rows, data.length / Math.max(1, rows)]) })
    return out[output].data as Float32Array
  }

  async release(): Promise<void> {
    await this.loaded.session.release()
  }
}

export function floatInput(data: Float32Array, dims: number[]): FeedValue {
  return { type: "float32", data, dims }
}

export function int64Input(values: ArrayLike<number>): FeedValue {
  return { type: "int64", data: BigInt64Array.from(Array.from(values), BigInt), dims: [values.length] }
}
