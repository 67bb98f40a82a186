import { Module } from "@medusajs/framework/utils"
import fraudOptionsLoader from "./loaders/options"
import FraudModuleService from "./service"

export const FRAUD_MODULE = "upliftFraud"

export default Module(FRAUD_MODULE, {
  service: FraudModuleService,
  loaders: [fraudOptionsLoader],
})

export { FraudModuleService }
// Public API kept where apps import it from; the orchestration lives outside the module (it reads the uplift model registry).
export { assessCheckout, assessPlacedOrder } from "../../workflows/fraud/assess-checkout"
export * from "./rules/fields"
