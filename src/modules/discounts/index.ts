import { Module } from "@medusajs/framework/utils"
import type { LoaderOptions } from "@medusajs/framework/types"
import { asValue } from "@medusajs/framework/awilix"
import { parseUpliftOptions } from "../../lib/options"
import DiscountsModuleService from "./service"

export const DISCOUNTS_MODULE = "upliftDiscounts"

/** Fails the boot with a clear message when the plugin options are wrong; hands them to the discounts service. */
async function discountsOptionsLoader({ container, options }: LoaderOptions): Promise<void> {
  container.register({ discountsOptions: asValue(parseUpliftOptions(options)) })
}

export default Module(DISCOUNTS_MODULE, {
  service: DiscountsModuleService,
  loaders: [discountsOptionsLoader],
})

export { DiscountsModuleService }
