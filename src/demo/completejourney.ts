import { join } from "path"
import { columnIndex, CsvTable, readCsv } from "../ml/data/csv"

/*
 * The one reader of the Complete Journey sample (shared data folder, completejourney/): the demo seed
 * builds the store from it, the offline evaluation and the ML benchmarks (scripts/) learn from it.
 */

/** One purchased line item. */
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
  manufacturer: string
  department: string
  brand: string
  category: string
  type: string
  size: string
}

function columns(table: CsvTable, names: string[]): number[] {
  return names.map((name) => columnIndex(table, name))
}

/** `dataDir` is the shared data folder (resolveDataDir), which holds completejourney/. */
export function loadPurchases(dataDir: string): Purchase[] {
  const table = readCsv(join(dataDir, "completejourney", "transactions_sample.csv"))
  const [h, b, p, q, s, t] = columns(table, ["household_id", "basket_id", "product_id", "quantity", "sales_value", "transaction_timestamp"])
  return table.rows.map((r) => ({
    household: r[h],
    basket: r[b],
    product: r[p],
    quantity: Number(r[q]),
    salesValue: Number(r[s]),
    time: Date.parse(r[t].replace(" ", "T") + "Z") / 1000,
  }))
}

export function loadProducts(dataDir: string): ProductInfo[] {
  const table = readCsv(join(dataDir, "completejourney", "products.csv"))
  const idx = columns(table, ["product_id", "manufacturer_id", "department", "brand", "product_category", "product_type", "package_size"])
  const clean = (v: string | undefined) => (v === undefined || v === "NA" ? "" : v.trim())
  return table.rows.map((r) => ({
    product: r[idx[0]],
    manufacturer: clean(r[idx[1]]),
    department: clean(r[idx[2]]),
    brand: clean(r[idx[3]]),
    category: clean(r[idx[4]]),
    type: clean(r[idx[5]]),
    size: clean(r[idx[6]]),
  }))
}

/** Demographics per household, as string attributes (age, income, ...). */
export function loadDemographics(dataDir: string): Map<string, Record<string, string>> {
  const table = readCsv(join(dataDir, "completejourney", "demographics.csv"))
  const household = columnIndex(table, "household_id")
  const byHousehold = new Map<string, Record<string, string>>()
  for (const row of table.rows) {
    const attributes: Record<string, string> = {}
    table.header.forEach((name, index) => {
      if (index !== household && row[index] !== undefined && row[index] !== "NA") {
        attributes[name] = row[index]
      }
    })
    byHousehold.set(row[household], attributes)
  }
  return byHousehold
}
