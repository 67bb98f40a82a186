import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { catalogChangedWorkflow } from "../workflows/recommendations/catalog-changed"

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
 * Catalog and stock changes drop this process's product cards at once (src/workflows/recommendations;
 * other processes refresh theirs within ProductCatalog's freshness window). A changed shopping history needs no event: every request
 * compares the customer's history stamp, and the process that records new history recomputes the
 * rankings it holds. An erased customer's rankings go in every process through the erasure broadcast.
 */
export default async function recommendationsCacheHandler({ container }: SubscriberArgs<{ id: string }>) {
  await catalogChangedWorkflow(container).run()
}

export const config: SubscriberConfig = {
  event: CATALOG_EVENTS,
  context: { subscriberId: "medusa-uplift-recommendations-cache" },
}
