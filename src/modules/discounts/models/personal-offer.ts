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
    /**
     * `claimed`: a checkout of `cart_id` is using it (no other cart may); `held`: used by an order that fraud
     * review holds. Both count against the budget; `redeemed` follows the order (or release of the hold).
     */
    status: model.enum(["active", "claimed", "held", "redeemed", "expired", "revoked"]).default("active"),
    reserved_amount: model.float().default(0),
    redeemed_amount: model.float().nullable(),
    currency_code: model.text().nullable(),
    expires_at: model.dateTime(),
    order_id: model.text().nullable(),
    claimed_at: model.dateTime().nullable(),
    redeemed_at: model.dateTime().nullable(),
    revoked_reason: model.text().nullable(),
    reason: model.text().nullable(),
  })
  .indexes([{ on: ["customer_id", "status"] }, { on: ["policy_id", "status"] }, { on: ["cart_id"] }])
