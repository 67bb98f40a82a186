import { model } from "@medusajs/framework/utils"

/** A merchant rule: when every condition holds, the checkout gets the rule's action. */
export const FraudRule = model
  .define("uplift_fraud_rule", {
    id: model.id({ prefix: "frule" }).primaryKey(),
    name: model.text(),
    enabled: model.boolean().default(true),
    priority: model.number().default(0),
    conditions: model.json(),
    action: model.enum(["allow", "hold", "block"]),
  })
  .indexes([{ on: ["enabled", "priority"] }])
