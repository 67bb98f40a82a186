import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { refreshCarts } from "../workflows/discounts/refresh-carts"

/** Expired offers release their budget and leave the carts they were on. */
export default async function expirePersonalOffers(container: MedusaContainer) {
  const expired = await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).expireOffers()
  await refreshCarts(container, expired.map((offer) => offer.cart_id))
}

export const config = { name: "medusa-uplift-expire-personal-offers", schedule: "*/5 * * * *" }
