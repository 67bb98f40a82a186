import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { issuePersonalOfferWorkflow } from "../workflows/discounts/issue-personal-offer"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"

/**
 * Decides a personal offer when a customer's cart changes. Guest carts, stores without live policies and
 * customers who already hold an offer cost two cheap reads, not a workflow run. A fault is logged, never
 * raised to the shopper.
 */
export default async function discountOffersHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  try {
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    if (!(await discounts.hasLivePolicies())) {
      return
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "cart", fields: ["id", "customer_id"], filters: { id: event.data.id } })
    const customerId = (data[0] as { customer_id?: string | null } | undefined)?.customer_id
    if (!customerId) {
      return
    }
    const [open] = await discounts.listPersonalOffers({ customer_id: customerId, status: "active" }, { take: 1, select: ["id"] })
    if (open) {
      return
    }
    await issuePersonalOfferWorkflow(container).run({ input: { cart_id: event.data.id } })
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: no offer decision for cart ${event.data.id}: ${(error as Error).message}`)
  }
}

export const config: SubscriberConfig = {
  event: ["cart.created", "cart.updated", "cart.customer_updated", "cart.customer_transferred"],
  context: { subscriberId: "medusa-uplift-discount-offers" },
}
