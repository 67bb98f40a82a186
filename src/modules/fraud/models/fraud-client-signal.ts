import { model } from "@medusajs/framework/utils"

/** Client signals of a checkout attempt (hashed request IP and device id), captured before the workflow runs. */
export const FraudClientSignal = model
  .define("uplift_fraud_client_signal", {
    id: model.id({ prefix: "fsig" }).primaryKey(),
    cart_id: model.text(),
    ip_hash: model.text().nullable(),
    device_hash: model.text().nullable(),
  })
  .indexes([{ on: ["cart_id"], unique: true }])
