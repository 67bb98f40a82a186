import { model } from "@medusajs/framework/utils"

/** The identities whose accounts are linked for promotion redemption, and which rows count as a redemption. */
export const REDEEMED_BY = ["device_hash", "address_hash", "email_norm_hash"] as const
export const REDEEMED_WHERE = "order_id IS NOT NULL AND cardinality(promotion_ids) > 0 AND deleted_at IS NULL"

/** One risk assessment of a checkout attempt; linked to the order once `order.placed` arrives. */
export const FraudAssessment = model
  .define("uplift_fraud_assessment", {
    id: model.id({ prefix: "fasm" }).primaryKey(),
    cart_id: model.text(),
    order_id: model.text().nullable(),
    customer_id: model.text().nullable(),
    email_hash: model.text().nullable(),
    email_norm_hash: model.text().nullable(),
    ip_hash: model.text().nullable(),
    device_hash: model.text().nullable(),
    address_hash: model.text().nullable(),
    promotion_ids: model.array().default([]),
    amount: model.float().default(0),
    currency_code: model.text().nullable(),
    score: model.number().nullable(),
    probability: model.float().nullable(),
    model_version: model.text().nullable(),
    model_engine: model.text().nullable(),
    model_error: model.text().nullable(),
    decision: model.enum(["allow", "hold", "block"]),
    rule_id: model.text().nullable(),
    reason: model.text(),
    facts: model.json(),
    signals: model.json(),
    features: model.json().nullable(),
  })
  .indexes([
    { on: ["cart_id"] },
    { on: ["order_id"] },
    { on: ["customer_id", "created_at"] },
    { on: ["email_hash", "created_at"] },
    { on: ["email_norm_hash"] },
    { on: ["ip_hash", "created_at"] },
    { on: ["device_hash", "created_at"] },
    { on: ["address_hash", "created_at"] },
    // Orders placed with a promotion, per linked identity: the linked-account redemption check reads these
    // only, however many checkouts share the device, address or email.
    ...REDEEMED_BY.map((column) => ({ name: `IDX_uplift_fraud_assessment_redeemed_${column}`, on: [column], where: REDEEMED_WHERE })),
  ])
