import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { offerCodesOf } from "./offer-codes"

/** The personal-discount code each order carries (`YOUR-10-OFF`), by order id: which offer level it redeemed. */
export async function redeemedOfferCodes(container: MedusaContainer, orderIds: string[]): Promise<Map<string, string>> {
  const codes = new Map<string, string>()
  const ids = [...new Set(orderIds.filter(Boolean))]
  if (!ids.length) return codes
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { isOfferCode } = offerCodesOf(container)
  const { data: orders } = await query.graph({ entity: "order", fields: ["id", "items.adjustments.code"], filters: { id: ids } })
  for (const order of orders as any[]) {
    const code = (order.items ?? []).flatMap((item: any) => item?.adjustments ?? []).map((adjustment: any) => adjustment?.code).find(isOfferCode)
    if (code) codes.set(order.id, code)
  }
  return codes
}
