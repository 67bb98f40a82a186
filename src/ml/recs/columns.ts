import type { Interaction } from "./types"

/**
 * Purchases as columns: each distinct customer, product and basket id once (dictionaries), and one entry
 * per purchase in typed arrays. What a training set is between the database and the trainer: a million
 * customers' purchases as row objects cost several hundred bytes each, and every copy to a thread (a
 * structured clone copies each string again) costs that again; as columns they cost about 30 bytes per
 * purchase plus the dictionaries, the typed arrays are moved to the training thread without a copy, and
 * the interactions rebuilt there share the dictionaries' strings.
 */
export interface PurchaseColumns {
  users: string[]
  items: string[]
  /** Basket ids (orders); entry -1 in `basket` = none (the trainer groups by customer and time). */
  baskets: string[]
  user: Int32Array
  item: Int32Array
  basket: Int32Array
  /** Unix seconds. */
  time: Float64Array
  /** NaN = not given (undefined in the interaction). */
  quantity: Float32Array
  /** NaN = not given. */
  value: Float64Array
}

/** Appends purchases a page at a time (the database's rows are never all held at once). */
export class PurchaseColumnsBuilder {
  private userIndex = new Map<string, number>()
  private itemIndex = new Map<string, number>()
  private basketIndex = new Map<string, number>()
  private length = 0
  private user = new Int32Array(1024)
  private item = new Int32Array(1024)
  private basket = new Int32Array(1024)
  private time = new Float64Array(1024)
  private quantity = new Float32Array(1024)
  private value = new Float64Array(1024)

  get size(): number {
    return this.length
  }

  add(user: string, item: string, basket: string | null | undefined, time: number, quantity?: number, value?: number): void {
    if (this.length === this.user.length) this.grow()
    const k = this.length++
    this.user[k] = indexOf(this.userIndex, user)
    this.item[k] = indexOf(this.itemIndex, item)
    this.basket[k] = basket == null ? -1 : indexOf(this.basketIndex, basket)
    this.time[k] = time
    this.quantity[k] = quantity ?? NaN
    this.value[k] = value ?? NaN
  }

  /** The trainer's interactions, as columns. */
  static of(interactions: Interaction[]): PurchaseColumns {
    const builder = new PurchaseColumnsBuilder()
    for (const x of interactions) builder.add(x.user, x.item, x.basket, x.time, x.quantity, x.value)
    return builder.build()
  }

  /** The columns, trimmed to their length; the builder is spent. */
  build(): PurchaseColumns {
    const n = this.length
    const columns: PurchaseColumns = {
      users: [...this.userIndex.keys()],
      items: [...this.itemIndex.keys()],
      baskets: [...this.basketIndex.keys()],
      user: this.user.slice(0, n),
      item: this.item.slice(0, n),
      basket: this.basket.slice(0, n),
      time: this.time.slice(0, n),
      quantity: this.quantity.slice(0, n),
      value: this.value.slice(0, n),
    }
    this.userIndex.clear()
    this.itemIndex.clear()
    this.basketIndex.clear()
    return columns
  }

  private grow(): void {
    const size = this.user.length * 2
    const grown = <T extends Int32Array | Float32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size)
      b.set(a)
      return b
    }
    this.user = grown(this.user)
    this.item = grown(this.item)
    this.basket = grown(this.basket)
    this.time = grown(this.time)
    this.quantity = grown(this.quantity)
    this.value = grown(this.value)
  }
}

function indexOf(index: Map<string, number>, id: string): number {
  let k = index.get(id)
  if (k === undefined) index.set(id, (k = index.size))
  return k
}

export function purchaseCount(columns: PurchaseColumns): number {
  return columns.user.length
}

/** The buffers to move (not copy) to a thread with the columns. */
export function columnBuffers(columns: PurchaseColumns): ArrayBuffer[] {
  return [columns.user, columns.item, columns.basket, columns.time, columns.quantity, columns.value].map((a) => a.buffer as ArrayBuffer)
}

/** The purchases as the trainers take them; customer, product and basket strings are the dictionaries' own. */
export function interactionsOf(columns: PurchaseColumns): Interaction[] {
  const n = purchaseCount(columns)
  const out: Interaction[] = new Array(n)
  for (let k = 0; k < n; k++) {
    const b = columns.basket[k]
    const quantity = columns.quantity[k]
    const value = columns.value[k]
    out[k] = {
      user: columns.users[columns.user[k]],
      item: columns.items[columns.item[k]],
      time: columns.time[k],
      basket: b < 0 ? undefined : columns.baskets[b],
      quantity: Number.isNaN(quantity) ? undefined : quantity,
      value: Number.isNaN(value) ? undefined : value,
    }
  }
  return out
}
