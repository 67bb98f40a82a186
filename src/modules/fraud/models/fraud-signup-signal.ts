import { model } from "@medusajs/framework/utils"

/**
 * A customer account's registration as the fraud model sees it: the hashed device id and IP of the request
 * that created it and its acquisition channel (created_at is the sign-up instant). The model counts other accounts registered on a
 * checkout's device before it, as it learnt from the public set's sign-ups.
 */
export const FraudSignupSignal = model
  .define("uplift_fraud_signup_signal", {
    id: model.id({ prefix: "fsup" }).primaryKey(),
    customer_id: model.text(),
    ip_hash: model.text().nullable(),
    device_hash: model.text().nullable(),
    /** Acquisition channel the storefront reported at registration: "seo" | "ads" | "direct" (null: none). */
    source: model.text().nullable(),
  })
  .indexes([{ on: ["customer_id"], unique: true }, { on: ["device_hash", "created_at"] }])
