import { model } from "@medusajs/framework/utils"

/** A discount issued to one customer under one policy; its reservation counts against the budget. */
export const PersonalOffer = model
  .define("uplift_personal_offer", {
    id: model.id({ prefix: "uoffer" }).primaryKey(),
    policy_id: model.text(),
    decision_id: model.text(),
    customer_id: model.text(),
    cart_id: model.text().nullable(),
    discount_percent: model.float(),
    /** `held`: used by an order that fraud review holds; it counts against the budget but is not redeemed until release. */
    status: model.enum(["active", "held", "redeemed", "expired", "revoked"]).default("active"),
    reserved_amount: model.float().default(0),
    redeemed_amount: model.float().nullable(),
    currency_code: model.text().nullable(),
    expires_at: model.dateTime(),
    order_id: model.text().nullable(),
    redeemed_at: model.dateTime().nullable(),
    revoked_reason: model.text().nullable(),
    reason: model.text().nullable(),
  })
  .indexes([{ on: ["customer_id", "status"] }, { on: ["policy_id", "status"] }, { on: ["cart_id"] }])
