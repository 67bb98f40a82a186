import type { MedusaContainer } from "@medusajs/framework/types"
import type { ClientSignals, StoreCartRequests } from "../lib/shopper-context"
import { UPLIFT_MODULE } from "../modules/uplift"
import type UpliftModuleService from "../modules/uplift/service"

/** This process's store cart requests in flight, with their shoppers (held by the uplift module). */
export function storeCartRequests(container: MedusaContainer): StoreCartRequests {
  return container.resolve<UpliftModuleService>(UPLIFT_MODULE).storeCartRequests
}

/** StoreCartRequests.isAuthenticated for the code working on `cartId` with `container` (a workflow step's). */
export function isAuthenticatedShopper(container: MedusaContainer, cartId: string | null | undefined, customerId: string | null | undefined): boolean | undefined {
  return storeCartRequests(container).isAuthenticated(container, cartId, customerId)
}

/** StoreCartRequests.clientSignals for the code working on `cartId` with `container` (a workflow step's). */
export function requestClientSignals(container: MedusaContainer, cartId: string | null | undefined): Promise<ClientSignals | null> | undefined {
  return storeCartRequests(container).clientSignals(container, cartId)
}
