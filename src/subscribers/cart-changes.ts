import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CartSnapshot } from "../ingestion/normalize"
import { recordCartEvent } from "../ingestion/record"
import { issuePersonalOfferWorkflow } from "../workflows/discounts/issue-personal-offer"
import { DISCOUNTS_MODULE } from "../modules/discounts"
import type DiscountsModuleService from "../modules/discounts/service"
import { authenticatedCartCustomer } from "../workflows/discounts/cart-shopper"

/**
 * A cart changed or changed hands: records what is in it (the learning loop, batched with other cart
 * events) and decides the customer's personal offer. A fault in the offer decision is logged, never raised
 * to the shopper; a fault in recording is raised, so that the event bus can retry it.
 */
export default async function cartChangesHandler({ event, container }: SubscriberArgs<{ id: string }>) {
  const [recorded] = await Promise.allSettled([
    recordCartEvent(container, { name: event.name, id: event.data.id }),
    decidePersonalOffer(container, event.data.id),
  ])
  if (recorded.status === "rejected") {
    throw recorded.reason
  }
}

async function loadCart(container: MedusaContainer, id: string): Promise<CartSnapshot | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: ["id", "customer_id"], filters: { id } })
  return data[0] as CartSnapshot | undefined
}

/**
 * Only a cart used by its logged-in customer is decided for (a guest who types a customer's email is not
 * that customer, and fresh guest emails earn nothing). Guest carts, stores without live policies, customers who already hold an offer and carts every live
 * policy has decided for cost at most two cheap reads, not a workflow run.
 */
async function decidePersonalOffer(container: MedusaContainer, cartId: string): Promise<void> {
  try {
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    if (!(await discounts.hasLivePolicies())) {
      return
    }
    const cart = await loadCart(container, cartId)
    if (!cart?.customer_id) {
      return
    }
    const customerId = await authenticatedCartCustomer(container, cart)
    if (!customerId) {
      return
    }
    const [open] = await discounts.listPersonalOffers({ customer_id: customerId, status: "active" }, { take: 1, select: ["id"] })
    if (open || !(await discounts.hasUndecidedPolicy(customerId))) {
      return
    }
    await issuePersonalOfferWorkflow(container).run({ input: { cart_id: cart.id } })
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: no offer decision for cart ${cartId}: ${(error as Error).message}`)
  }
}

export const config: SubscriberConfig = {
  event: ["cart.created", "cart.updated", "cart.customer_updated", "cart.customer_transferred"],
  context: { subscriberId: "medusa-uplift-cart-changes" },
}
