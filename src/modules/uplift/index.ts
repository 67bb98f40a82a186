import { Module } from "@medusajs/framework/utils"
import databaseTimeoutLoader from "./loaders/database-timeout"
import queuesLoader from "./loaders/queues"
import UpliftModuleService from "./service"

export const UPLIFT_MODULE = "uplift"

export default Module(UPLIFT_MODULE, {
  service: UpliftModuleService,
  loaders: [queuesLoader, databaseTimeoutLoader],
})

export { UpliftModuleService }
export * from "./types"
