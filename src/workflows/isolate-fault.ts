import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * Steps of one event's workflow that are independent (as their separate subscribers were): a fault in one
 * is logged, like the event bus logs a failed subscriber, and never stops the others. `what` names the work
 * in the log ("order.placed offer redemption for order order_1"). Returns null when the work failed.
 */
export async function isolateFault<T>(container: MedusaContainer, what: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work()
  } catch (error) {
    container.resolve(ContainerRegistrationKeys.LOGGER).error(`medusa-uplift: ${what} failed: ${(error as Error)?.message ?? error}`)
    return null
  }
}
