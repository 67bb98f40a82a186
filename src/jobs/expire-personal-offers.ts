import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { refreshOfferCarts } from "../workflows/discounts/refresh-carts"

/** Expired offers release their budget and leave every open cart of their customers that carries them. */
export default async function expirePersonalOffers(container: MedusaContainer) {
  const expired = await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).expireOffers()
  await refreshOfferCarts(container, expired.map((offer) => offer.customer_id))
}

export const config = { name: "medusa-uplift-expire-personal-offers", schedule: "*/5 * * * *" }
