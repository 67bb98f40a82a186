import { Module } from "@medusajs/framework/utils"
import { LoaderOptions } from "@medusajs/framework/types"
import { parseUpliftOptions } from "../../lib/options"
import DiscountsModuleService from "./service"

export const DISCOUNTS_MODULE = "upliftDiscounts"

/** Fails the boot with a clear message when the plugin options are wrong. */
async function validateOptions({ options }: LoaderOptions): Promise<void> {
  parseUpliftOptions(options)
}

export default Module(DISCOUNTS_MODULE, {
  service: DiscountsModuleService,
  loaders: [validateOptions],
})

export { DiscountsModuleService }
