import { createCartWorkflow, refreshCartItemsWorkflow } from "@medusajs/medusa/core-flows"
import { settleDeferredClaim, settlesDeferredClaims } from "../discounts/decision/deferred-claims"

/**
 * A personal offer decided inside a cart workflow is computed into the cart's promotions while its claim (the
 * write that makes it the customer's one decision) still runs; these hooks, later in the same workflows and
 * before the response, wait for the claim and recompute the promotions when it did not stand
 * (src/workflows/discounts/decision/deferred-claims.ts). A hook takes one handler per process: set the
 * variable named beside each to "off" if your app handles that hook; the claim then completes inside the
 * promotion-context hook, as it does in every other workflow.
 */

const enabled = (variable: string) => process.env[variable] !== "off" && process.env.UPLIFT_PROMOTION_CONTEXT_HOOK !== "off"

// UPLIFT_REFRESH_CART_ITEMS_HOOK: adds to cart, line item updates and removals, the login transfer.
if (enabled("UPLIFT_REFRESH_CART_ITEMS_HOOK")) {
  refreshCartItemsWorkflow.hooks.beforeRefreshingPaymentCollection(async ({ input }, { container }) => {
    await settleDeferredClaim(container, input.cart_id)
  })
  settlesDeferredClaims(refreshCartItemsWorkflow.getName())
}

// UPLIFT_CART_CREATED_HOOK: carts created with items (the payment collection is refreshed after a recompute).
if (enabled("UPLIFT_CART_CREATED_HOOK")) {
  createCartWorkflow.hooks.cartCreated(async ({ cart }, { container }) => {
    await settleDeferredClaim(container, cart.id, true)
  })
  settlesDeferredClaims(createCartWorkflow.getName())
}
