import { Module } from "@medusajs/framework/utils"
import queuesLoader from "./loaders/queues"
import UpliftModuleService from "./service"

export const UPLIFT_MODULE = "uplift"

export default Module(UPLIFT_MODULE, {
  service: UpliftModuleService,
  loaders: [queuesLoader],
})

export { UpliftModuleService }
export * from "./types"
