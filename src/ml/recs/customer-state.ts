import type { OwnedEntry } from "./features"
import type { RecsModel } from "./types"

/**
 * A trained customer's part of a recommender (their embedding and trained purchase history), packed as
 * bytes so that a store's millions of customers live in rows read one at a time, while the model that
 * every request needs (items, statistics, re-ranker) stays small: see splitCustomers.
 *
 * Layout (little-endian): f64 lastTime, f32 baskets, u32 entries, f32[dim] embedding, then per entry
 * i32 item, f32 count, f32 baskets (NaN = unknown), f64 last.
 */
export interface CustomerState {
  vector: Float32Array
  lastTime: number
  baskets: number
  owned: Map<number, OwnedEntry>
}

const HEAD = 16
const ENTRY = 20

/** The trained customers of a model as packed states: ids in model order, their bytes back to back. */
export interface PackedCustomers {
  ids: string[]
  /** Customer k's bytes are bytes[offsets[k], offsets[k + 1]). */
  offsets: Float64Array
  bytes: Uint8Array
}

/**
 * The model without its customers (no ids, embeddings or histories: what serving holds in memory) and its
 * customers packed one state each (what goes to rows keyed by customer).
 */
export function splitCustomers(model: RecsModel): { model: RecsModel; customers: PackedCustomers } {
  const { history: h, mf } = model
  const users = model.users.length
  const offsets = new Float64Array(users + 1)
  for (let u = 0; u < users; u++) offsets[u + 1] = offsets[u] + HEAD + 4 * mf.dim + ENTRY * (h.userPtr[u + 1] - h.userPtr[u])
  const bytes = new Uint8Array(offsets[users])
  const view = new DataView(bytes.buffer)
  for (let u = 0; u < users; u++) writeState(model, u, view, offsets[u])
  const empty = { userPtr: new Int32Array(1), item: new Int32Array(0), count: new Float32Array(0), lastTime: new Float64Array(0), userLastTime: new Float64Array(0) }
  const withoutCustomers: RecsModel = { ...model, users: [], mf: { ...mf, userFactors: new Float32Array(0) }, history: empty }
  return { model: withoutCustomers, customers: { ids: model.users, offsets, bytes } }
}

function writeState(model: RecsModel, u: number, view: DataView, at: number): void {
  const { history: h, mf } = model
  const from = h.userPtr[u]
  const to = h.userPtr[u + 1]
  view.setFloat64(at, h.userLastTime[u], true)
  view.setFloat32(at + 8, h.userBaskets ? h.userBaskets[u] : 1, true)
  view.setUint32(at + 12, to - from, true)
  let p = at + HEAD
  for (let f = 0; f < mf.dim; f++, p += 4) view.setFloat32(p, mf.userFactors[u * mf.dim + f], true)
  for (let k = from; k < to; k++, p += ENTRY) {
    view.setInt32(p, h.item[k], true)
    view.setFloat32(p + 4, h.count[k], true)
    view.setFloat32(p + 8, h.baskets ? h.baskets[k] : NaN, true)
    view.setFloat64(p + 12, h.lastTime[k], true)
  }
}

/** One customer's state from its bytes (a row of the registry, or a slice of PackedCustomers.bytes). */
export function decodeCustomerState(bytes: Uint8Array, dim: number): CustomerState {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const entries = view.getUint32(12, true)
  if (bytes.byteLength !== HEAD + 4 * dim + ENTRY * entries) throw new Error(`customer state of ${bytes.byteLength} bytes does not fit dim ${dim} and ${entries} entries`)
  const vector = new Float32Array(dim)
  let p = HEAD
  for (let f = 0; f < dim; f++, p += 4) vector[f] = view.getFloat32(p, true)
  const owned = new Map<number, OwnedEntry>()
  for (let k = 0; k < entries; k++, p += ENTRY) {
    const baskets = view.getFloat32(p + 8, true)
    owned.set(view.getInt32(p, true), { count: view.getFloat32(p + 4, true), last: view.getFloat64(p + 12, true), baskets: Number.isNaN(baskets) ? undefined : baskets })
  }
  return { vector, lastTime: view.getFloat64(0, true), baskets: view.getFloat32(8, true), owned }
}

/** Customer k's bytes of a packed set (a view, not a copy). */
export function packedState(customers: PackedCustomers, k: number): Uint8Array {
  return customers.bytes.subarray(customers.offsets[k], customers.offsets[k + 1])
}

/** A customer's embedding only (batch scoring needs no history), written into `into` at row `row`. */
export function stateVectorInto(bytes: Uint8Array, dim: number, into: Float32Array, row: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.byteLength < HEAD + 4 * dim) throw new Error(`customer state of ${bytes.byteLength} bytes is shorter than dim ${dim}`)
  for (let f = 0; f < dim; f++) into[row * dim + f] = view.getFloat32(HEAD + 4 * f, true)
}
