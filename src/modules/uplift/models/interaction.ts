import { model } from "@medusajs/framework/utils"

/**
 * One normalized shopper interaction: what the learning loop trains on. Live events and the seeded
 * history write the same rows. `dedupe_key` makes ingestion idempotent.
 */
export const Interaction = model
  .define("uplift_interaction", {
    id: model.id({ prefix: "uint" }).primaryKey(),
    dedupe_key: model.text().unique(),
    kind: model.enum(["cart_item", "purchase", "cancel", "return", "payment_captured", "payment_refunded"]),
    source: model.enum(["event", "seed"]).default("event"),
    customer_id: model.text().nullable(),
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    product_id: model.text().nullable(),
    variant_id: model.text().nullable(),
    quantity: model.number().default(0),
    value: model.float().default(0),
    currency_code: model.text().nullable(),
    occurred_at: model.dateTime(),
  })
  .indexes([
    { on: ["customer_id", "occurred_at"] },
    { on: ["product_id"] },
    { on: ["order_id"] },
  ])
