import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { OrderSnapshot } from "../../ingestion/normalize"

const ORDER_FIELDS = [
  "id",
  "customer_id",
  "currency_code",
  "created_at",
  "items.id",
  "items.product_id",
  "items.variant_id",
  "items.quantity",
  "items.unit_price",
  "items.detail.quantity",
]

/** The order as the purchase history records it (lines, prices, customer). */
export async function loadOrderSnapshot(container: MedusaContainer, id: string): Promise<OrderSnapshot | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id } })
  return data[0] as OrderSnapshot | undefined
}
