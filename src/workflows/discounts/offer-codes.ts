import type { MedusaContainer } from "@medusajs/framework/types"
import { DISCOUNTS_MODULE } from "../../modules/discounts"
import type DiscountsModuleService from "../../modules/discounts/service"
import type { OfferCodes } from "../../modules/discounts/offer-codes"

/** The store's tier promotion codes (plugin option `offerCodePrefix`), held by the discounts module service. */
export function offerCodesOf(container: MedusaContainer): OfferCodes {
  return container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).offerCodes
}
