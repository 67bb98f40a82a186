import { Module } from "@medusajs/framework/utils"
import fraudOptionsLoader from "./loaders/options"
import FraudModuleService from "./service"

export const FRAUD_MODULE = "upliftFraud"

export default Module(FRAUD_MODULE, {
  service: FraudModuleService,
  loaders: [fraudOptionsLoader],
})

export { FraudModuleService }
export { assessCheckout, assessPlacedOrder } from "./assess"
export * from "./rules/fields"
