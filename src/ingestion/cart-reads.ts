import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import type { CartSnapshot } from "./normalize"
import { preparedStatement } from "../lib/prepared-statements"

export const CART_FIELDS = ["id", "customer_id", "currency_code", "items.id", "items.product_id", "items.variant_id", "items.quantity", "items.unit_price"]

/** Postgres codes of a missing table or column: Medusa's cart tables are not (or no longer) shaped as read here. */
const SCHEMA_MISMATCH = new Set(["42P01", "42703"])

/** How the ingestion reads the carts of a batch of cart events (plugin option `ingestionCartReads`). */
export type CartReadMode = "tables" | "query"

interface LineRow {
  cart_id: string
  customer_id: string | null
  currency_code: string | null
  id: string
  product_id: string | null
  variant_id: string | null
  quantity: number
  unit_price: string
}

/**
 * Reads the carts of a batch of cart events with their lines. `tables` is one SQL statement over the cart
 * module's tables in the shared database: the query graph builds and serializes a MikroORM entity per cart
 * and line, which cost more CPU than the rest of ingestion together. Where those tables are not there
 * (a cart module in its own database, another Medusa version's schema) the first failed read says so once
 * and every read goes through the query graph from then on. Other errors fail the batch, as a failed
 * query-graph read would.
 */
export class CartReader {
  private tablesReadable = true

  constructor(private readonly warn: (message: string) => void) {}

  async read(container: MedusaContainer, ids: string[], mode: CartReadMode): Promise<Map<string, CartSnapshot>> {
    if (mode === "tables" && this.tablesReadable) {
      try {
        return await readCartsFromTables(container.resolve(ContainerRegistrationKeys.PG_CONNECTION), ids)
      } catch (error) {
        if (!SCHEMA_MISMATCH.has((error as { code?: string }).code ?? "")) throw error
        this.tablesReadable = false
        this.warn(`medusa-uplift: cart tables not readable (${(error as Error).message}); cart events are read through the query graph from now on`)
      }
    }
    return readCartsThroughQuery(container, ids)
  }
}

/**
 * The carts' live lines, with what the interactions need of the cart. A cart without lines (or deleted)
 * has no entry: it records nothing, as through the query graph. Deleted lines are left out, as there.
 */
export async function readCartsFromTables(db: Knex, ids: string[]): Promise<Map<string, CartSnapshot>> {
  const rows = await cartLinesStatement(db, [ids])
  const carts = new Map<string, CartSnapshot>()
  for (const row of rows) {
    let cart = carts.get(row.cart_id)
    if (!cart) {
      cart = { id: row.cart_id, customer_id: row.customer_id, currency_code: row.currency_code, items: [] }
      carts.set(row.cart_id, cart)
    }
    cart.items!.push({ id: row.id, product_id: row.product_id, variant_id: row.variant_id, quantity: row.quantity, unit_price: row.unit_price })
  }
  return carts
}

/** The read of every batch of cart events: a fixed statement, prepared once per connection. $1: cart ids. */
const cartLinesStatement = preparedStatement<LineRow>(
  `select l.cart_id, c.customer_id, c.currency_code, l.id, l.product_id, l.variant_id, l.quantity, l.unit_price
     from cart c join cart_line_item l on l.cart_id = c.id and l.deleted_at is null
    where c.id = any($1::text[]) and c.deleted_at is null`
)

export async function readCartsThroughQuery(container: MedusaContainer, ids: string[]): Promise<Map<string, CartSnapshot>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: ids } } as any)
  return new Map((data as CartSnapshot[]).map((cart) => [cart.id, cart]))
}
