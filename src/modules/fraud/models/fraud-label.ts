import { model } from "@medusajs/framework/utils"

/** Ground truth for the fraud model: chargebacks, manual reviews and hold outcomes. */
export const FraudLabel = model
  .define("uplift_fraud_label", {
    id: model.id({ prefix: "flbl" }).primaryKey(),
    order_id: model.text(),
    customer_id: model.text().nullable(),
    assessment_id: model.text().nullable(),
    label: model.enum(["fraud", "legit"]),
    source: model.enum(["chargeback", "manual", "hold_release", "hold_reject"]),
    actor_id: model.text().nullable(),
    note: model.text().nullable(),
    features: model.json().nullable(),
  })
  .indexes([{ on: ["order_id"] }, { on: ["customer_id"] }])
