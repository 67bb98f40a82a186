import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { offerFeatures, PastPurchase } from "../../../ml/decision/offer-features"
import type { ShopperHistory } from "../../../modules/discounts/eligibility"
import { UPLIFT_MODULE } from "../../../modules/uplift"
import type UpliftModuleService from "../../../modules/uplift/service"
import type { OfferHistory } from "../../../modules/uplift/service"
import type { Basket } from "../basket"
import type { DecisionCart } from "./decision-context"

type OfferAttribute = "region" | "channel" | "customer_group"

/** Round eligibility (order count, last order) from the same purchase lines the features read. */
export function shopperHistory(history: OfferHistory): ShopperHistory {
  const orders = new Set(history.purchases.map((purchase) => purchase.orderId).filter(Boolean))
  const last = history.purchases.length ? Math.max(...history.purchases.map((purchase) => purchase.at)) : null
  return { order_count: orders.size, last_order_at: last === null ? null : new Date(last) }
}

/**
 * The live offer features (src/ml/decision/offer-features): the shopper's history with product
 * categories, the basket, and the attributes the merchant selected (option offerAttributes, plus the
 * profile metadata of option profileAttributes).
 */
export async function shopperFeatures(
  container: MedusaContainer,
  cart: DecisionCart,
  customerId: string,
  history: OfferHistory,
  basket: Basket,
  selected: OfferAttribute[],
  at: number
): Promise<Record<string, number>> {
  const [categories, groups] = await Promise.all([
    productCategories(container, history.purchases.map((purchase) => purchase.productId).filter((id): id is string => Boolean(id))),
    selected.includes("customer_group") ? customerGroups(container, cart, customerId) : Promise.resolve(null),
  ])
  const purchases: PastPurchase[] = history.purchases.map((purchase) => ({ ...purchase, categories: purchase.productId ? categories.get(purchase.productId) ?? [] : [] }))
  const attributes: Record<string, string | null | undefined> = { ...history.attributes }
  if (selected.includes("region")) attributes.region = cart.region_id
  if (selected.includes("channel")) attributes.channel = cart.sales_channel_id
  if (groups) attributes.customer_group = groups
  return offerFeatures({ purchases, signedUpAt: history.signedUpAt, basket: { value: basket.value, items: basket.lines.length }, attributes, at })
}

/**
 * Category names of products, as the product module holds them: one read for those this process does not
 * know yet (the uplift module keeps what it read, since categories change rarely).
 */
export async function productCategories(container: MedusaContainer, productIds: string[]): Promise<Map<string, string[]>> {
  const known = container.resolve<UpliftModuleService>(UPLIFT_MODULE).knownCategories
  const missing = known.unknown(productIds)
  if (missing.length) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "product", fields: ["id", "categories.name"], filters: { id: missing } })
    const found = (data as any[]).map((product) => ({ id: product.id, categories: (product.categories ?? []).map((category: any) => category?.name).filter(Boolean) }))
    known.remember(missing, found)
  }
  return known.of(productIds)
}

/**
 * The customer's groups as one attribute value (sorted ids joined), or null without any: from the cart when
 * it came with them (the cart workflows load `customer.groups`), else one read.
 */
async function customerGroups(container: MedusaContainer, cart: DecisionCart, customerId: string): Promise<string | null> {
  const loaded = cart.customer?.id === customerId ? cart.customer.groups : undefined
  const groups = Array.isArray(loaded) ? loaded : await readCustomerGroups(container, customerId)
  const ids = groups.map((group: any) => group?.id).filter(Boolean).sort()
  return ids.length ? ids.join("+") : null
}

async function readCustomerGroups(container: MedusaContainer, customerId: string): Promise<{ id: string }[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "customer", fields: ["groups.id"], filters: { id: customerId } })
  return (data[0] as any)?.groups ?? []
}
