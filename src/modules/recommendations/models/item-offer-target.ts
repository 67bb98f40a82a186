import { model } from "@medusajs/framework/utils"

/** The products an item-level personal offer discounts (policy `target: "items"`). */
export const ItemOfferTarget = model
  .define("uplift_item_offer_target", {
    id: model.id({ prefix: "uitgt" }).primaryKey(),
    offer_id: model.text().unique(),
    customer_id: model.text(),
    discount_percent: model.float(),
    product_ids: model.json(),
    /** Per product: expected incremental profit at the offered level (for the decision's audit). */
    expected: model.json().nullable(),
  })
  .indexes([{ on: ["customer_id"] }])
