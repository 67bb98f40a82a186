import type { MedusaContainer } from "@medusajs/framework/types"
import type { StoreCartRequests } from "../lib/shopper-context"
import { UPLIFT_MODULE } from "../modules/uplift"
import type UpliftModuleService from "../modules/uplift/service"

/** This process's store cart requests in flight, with their shoppers (held by the uplift module). */
export function storeCartRequests(container: MedusaContainer): StoreCartRequests {
  return container.resolve<UpliftModuleService>(UPLIFT_MODULE).storeCartRequests
}
