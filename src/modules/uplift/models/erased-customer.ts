import { model } from "@medusajs/framework/utils"

/**
 * A customer erased from the plugin's tables (a tombstone): ingestion and profile writes refuse this
 * customer from then on, so a job queued or running at the erasure cannot bring the data back.
 */
export const ErasedCustomer = model.define("uplift_erased_customer", {
  id: model.id({ prefix: "uera" }).primaryKey(),
  customer_id: model.text().unique(),
})
