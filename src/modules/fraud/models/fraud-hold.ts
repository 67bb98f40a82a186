import { model } from "@medusajs/framework/utils"

/**
 * A review hold. Opened by the checkout assessment (keyed by cart, before the order exists) and linked to
 * the order on `order.placed`; while open, capture and fulfillment of that order answer 409.
 */
export const FraudHold = model
  .define("uplift_fraud_hold", {
    id: model.id({ prefix: "fhold" }).primaryKey(),
    cart_id: model.text(),
    order_id: model.text().nullable(),
    assessment_id: model.text().nullable(),
    status: model.enum(["open", "released", "rejected"]).default("open"),
    reason: model.text(),
    resolved_by: model.text().nullable(),
    resolved_at: model.dateTime().nullable(),
    note: model.text().nullable(),
  })
  .indexes([{ on: ["cart_id"], unique: true }, { on: ["order_id"] }, { on: ["status", "created_at"] }])
