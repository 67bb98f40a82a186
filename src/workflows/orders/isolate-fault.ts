import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * The order.placed steps are independent (fraud linking, offer redemption, purchase history), as their
 * separate subscribers were: a fault in one is logged, like the event bus logs a failed subscriber, and
 * never stops the others. Returns null when the work failed.
 */
export async function isolateFault<T>(container: MedusaContainer, what: string, orderId: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work()
  } catch (error) {
    container.resolve(ContainerRegistrationKeys.LOGGER).error(`medusa-uplift: order.placed ${what} failed for order ${orderId}: ${(error as Error)?.message ?? error}`)
    return null
  }
}
