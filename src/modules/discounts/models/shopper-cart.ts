import { model } from "@medusajs/framework/utils"

/**
 * A cart seen in a store request authenticated as its customer. Jobs and subscribers, which run outside any
 * request, apply personal offers only to such carts: a guest cart linked to a customer by a typed email is not one.
 */
export const ShopperCart = model
  .define("uplift_shopper_cart", {
    id: model.id({ prefix: "ushcart" }).primaryKey(),
    cart_id: model.text(),
    customer_id: model.text(),
  })
  .indexes([{ on: ["cart_id", "customer_id"], unique: true }])
