import { model } from "@medusajs/framework/utils"

/**
 * A trained storefront recommender: the serialized hybrid model plus what serving needs besides it
 * (bought-together partners, regional popularity). The newest `ready` row is the one every process serves.
 */
export const RecsModelRecord = model
  .define("uplift_recs_model", {
    id: model.id({ prefix: "urecs" }).primaryKey(),
    status: model.enum(["training", "ready", "failed"]).default("training"),
    interactions: model.number().default(0),
    customers: model.number().default(0),
    products: model.number().default(0),
    /** Latest interaction the model has seen: a customer's history after it is folded in at request time. */
    data_to: model.dateTime().nullable(),
    train_ms: model.number().default(0),
    error: model.text().nullable(),
    /** serializeRecsModel text plus extras (see src/recommendations/artifact.ts). */
    artifact: model.text().nullable(),
  })
  .indexes([{ on: ["status", "created_at"] }])
