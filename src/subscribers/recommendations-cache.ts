import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { RECOMMENDATIONS_MODULE } from "../modules/recommendations"
import type RecommendationsModuleService from "../modules/recommendations/service"
import { forgetAllRecommendations, forgetCustomerRecommendations } from "../recommendations/recommend"

const CATALOG_EVENTS = [
  "product.created",
  "product.updated",
  "product.deleted",
  "product-variant.updated",
  "product-variant.deleted",
  "inventory-level.updated",
  "inventory-level.created",
  "inventory-level.deleted",
  "inventory-item.updated",
  "reservation-item.created",
]

/**
 * A customer's new interactions (an order, a cart change) drop their cached recommendations in this
 * process; catalog and stock changes drop all cached results and product cards. (Other processes see a
 * changed history at once anyway: the customer's latest interaction is part of the cache key.)
 */
export default async function recommendationsCacheHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.name === "customer.deleted") {
    forgetCustomerRecommendations(event.data.id)
    await container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE).eraseCustomer(event.data.id)
    return
  }
  if (CATALOG_EVENTS.includes(event.name)) {
    forgetAllRecommendations()
    return
  }
  const entity = event.name.startsWith("order.") ? "order" : "cart"
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity, fields: ["id", "customer_id"], filters: { id: event.data.id } })
  const customerId = (data[0] as any)?.customer_id
  if (customerId) forgetCustomerRecommendations(customerId)
}

export const config: SubscriberConfig = {
  event: ["order.placed", "cart.updated", "cart.customer_updated", "customer.deleted", ...CATALOG_EVENTS],
  context: { subscriberId: "medusa-uplift-recommendations-cache" },
}
