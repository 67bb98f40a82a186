import { createCartWorkflow, refreshCartItemsWorkflow } from "@medusajs/medusa/core-flows"
import { CLAIM_SETTLING_WORKFLOWS, settleDeferredClaim } from "../discounts/decision/deferred-claims"

/**
 * A personal offer decided inside a cart workflow is computed into the cart's promotions while its claim (the
 * write that makes it the customer's one decision) still runs; these hooks, later in the same workflows and
 * before the response, wait for the claim and recompute the promotions when it did not stand
 * (src/workflows/discounts/decision/deferred-claims.ts). A hook takes one handler per process: set
 * UPLIFT_REFRESH_CART_ITEMS_HOOK (adds, line item updates and removals, the login transfer) or
 * UPLIFT_CART_CREATED_HOOK (carts created with items) to "off" if your app handles that hook; the claim then
 * completes inside the promotion-context hook, as it does in every other workflow.
 */
if (CLAIM_SETTLING_WORKFLOWS.has(refreshCartItemsWorkflow.getName())) {
  refreshCartItemsWorkflow.hooks.beforeRefreshingPaymentCollection(async ({ input }, { container }) => {
    await settleDeferredClaim(container, input.cart_id)
  })
}

if (CLAIM_SETTLING_WORKFLOWS.has(createCartWorkflow.getName())) {
  // The payment collection was refreshed before this hook: a recompute refreshes it again.
  createCartWorkflow.hooks.cartCreated(async ({ cart }, { container }) => {
    await settleDeferredClaim(container, cart.id, true)
  })
}
