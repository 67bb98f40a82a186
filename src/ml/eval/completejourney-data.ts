import { join } from "path"
import { readCsv } from "../data/csv"

/** One purchased line item of the Complete Journey sample. */
export interface Purchase {
  household: string
  basket: string
  product: string
  quantity: number
  salesValue: number
  /** Unix seconds. */
  time: number
}

export interface ProductInfo {
  product: string
  department: string
  brand: string
  category: string
  type: string
  size: string
}

function columnIndex(header: string[], name: string): number {
  const i = header.indexOf(name)
  if (i < 0) throw new Error(`column ${name} missing`)
  return i
}

export function loadPurchases(dataDir: string): Purchase[] {
  const { header, rows } = readCsv(join(dataDir, "completejourney", "transactions_sample.csv"))
  const [h, b, p, q, s, t] = ["household_id", "basket_id", "product_id", "quantity", "sales_value", "transaction_timestamp"].map(
    (n) => columnIndex(header, n)
  )
  return rows.map((r) => ({
    household: r[h],
    basket: r[b],
    product: r[p],
    quantity: Number(r[q]),
    salesValue: Number(r[s]),
    time: Date.parse(r[t].replace(" ", "T") + "Z") / 1000,
  }))
}

export function loadProducts(dataDir: string): ProductInfo[] {
  const { header, rows } = readCsv(join(dataDir, "completejourney", "products.csv"))
  const idx = ["product_id", "department", "brand", "product_category", "product_type", "package_size"].map((n) =>
    columnIndex(header, n)
  )
  const clean = (v: string | undefined) => (v === undefined || v === "NA" ? "" : v)
  return rows.map((r) => ({
    product: r[idx[0]],
    department: clean(r[idx[1]]),
    brand: clean(r[idx[2]]),
    category: clean(r[idx[3]]),
    type: clean(r[idx[4]]),
    size: clean(r[idx[5]]),
  }))
}
