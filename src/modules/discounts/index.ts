import { Module } from "@medusajs/framework/utils"
import { LoaderOptions } from "@medusajs/framework/types"
import { parseUpliftOptions } from "../../lib/options"
import DiscountsModuleService from "./service"
import { configureOfferCodes } from "./offer-codes"

export const DISCOUNTS_MODULE = "upliftDiscounts"

/** Fails the boot with a clear message when the plugin options are wrong; sets the offer code prefix. */
async function validateOptions({ options }: LoaderOptions): Promise<void> {
  configureOfferCodes(parseUpliftOptions(options))
}

export default Module(DISCOUNTS_MODULE, {
  service: DiscountsModuleService,
  loaders: [validateOptions],
})

export { DiscountsModuleService }
