import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
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
 * Catalog and stock changes drop this process's product cards at once (other processes refresh theirs
 * within ProductCatalog's freshness window); an erased customer's ranking and item targets go. A changed
 * shopping history needs no event: every request compares the customer's history stamp, and the process
 * that records new history recomputes the rankings it holds.
 */
export default async function recommendationsCacheHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  if (event.name === "customer.deleted") {
    forgetCustomerRecommendations(event.data.id)
    await container.resolve<RecommendationsModuleService>(RECOMMENDATIONS_MODULE).eraseCustomer(event.data.id)
    return
  }
  forgetAllRecommendations(container)
}

export const config: SubscriberConfig = {
  event: ["customer.deleted", ...CATALOG_EVENTS],
  context: { subscriberId: "medusa-uplift-recommendations-cache" },
}
