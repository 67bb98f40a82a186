import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { issuePersonalOfferWorkflow } from "../workflows/discounts/issue-personal-offer"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"

/** Decides a personal offer when a customer's cart changes. A fault is logged, never raised to the shopper. */
export default async function discountOffersHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  try {
    if (!(await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).hasLivePolicies())) {
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
