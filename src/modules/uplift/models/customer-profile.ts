import { model } from "@medusajs/framework/utils"

/** What the plugin keeps about a customer: no raw email, only its hash and coarse attributes. */
export const CustomerProfile = model.define("uplift_customer_profile", {
  id: model.id({ prefix: "ucpr" }).primaryKey(),
  customer_id: model.text().unique(),
  email_hash: model.text().nullable(),
  has_account: model.boolean().default(false),
  signed_up_at: model.dateTime().nullable(),
  attributes: model.json().nullable(),
})
