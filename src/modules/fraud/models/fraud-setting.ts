import { model } from "@medusajs/framework/utils"

/** Score thresholds (one row, id "default"). */
export const FraudSetting = model.define("uplift_fraud_setting", {
  id: model.text().primaryKey(),
  hold_score: model.number().nullable(),
  block_score: model.number().nullable(),
})
