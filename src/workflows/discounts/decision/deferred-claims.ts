import type { MedusaContainer } from "@medusajs/framework/types"
import { createCartWorkflowId, refreshCartItemsWorkflowId } from "@medusajs/medusa/core-flows"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { claimStands } from "../../../modules/discounts/deferred-claims"
import { recordDecisionTiming } from "./decision-timings"
import { recomputeCartPromotions } from "../refresh-carts"

/**
 * The cart workflows (by id) whose later hook, registered by src/workflows/hooks/claim-settle.ts unless its
 * variable is "off", settles a claim before the response: they run updateCartPromotionsWorkflow as a step.
 */
export function claimSettlingWorkflows(env: NodeJS.ProcessEnv = process.env): ReadonlySet<string> {
  const on = (variable: string) => env[variable] !== "off" && env.UPLIFT_PROMOTION_CONTEXT_HOOK !== "off"
  const workflows = new Set<string>()
  if (on("UPLIFT_REFRESH_CART_ITEMS_HOOK")) workflows.add(refreshCartItemsWorkflowId)
  if (on("UPLIFT_CART_CREATED_HOOK")) workflows.add(createCartWorkflowId)
  return workflows
}

/** Read once, as the hooks are registered once: a later change of the variables changes neither. */
export const CLAIM_SETTLING_WORKFLOWS = claimSettlingWorkflows()

/**
 * Whether this promotion evaluation may hand the decision's claim (the write that makes it the customer's one
 * decision and issues its offer) to a later hook of the same cart workflow, so that it runs while Medusa
 * computes and writes the cart's promotions with the provisional offer: only inside a workflow whose settling
 * hook is registered, one claim per cart at a time. `parentStepIdempotencyKey`: the hook's step context's,
 * `<workflow id>:<transaction>:...`.
 */
export function mayDeferClaim(container: MedusaContainer, cartId: string, parentStepIdempotencyKey: string | undefined): boolean {
  const parent = parentStepIdempotencyKey?.split(":")[0]
  if (!parent || !CLAIM_SETTLING_WORKFLOWS.has(parent)) return false
  return !container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).deferredClaims.has(cartId)
}

/**
 * Awaits the cart's deferred claim, if any. When the claim did not make the provisional offer the customer's
 * (a racing request's decision stands with another level, the budget or the per-customer limit refused it, or
 * the write failed), the cart's promotions are computed again now, inside the same workflow (its lock is held,
 * so the nested run skips it as Medusa's own nested runs do): the response shows what stands, never a discount
 * without its offer. `refreshPayment`: the workflow refreshed the payment collection already.
 */
export async function settleDeferredClaim(container: MedusaContainer, cartId: string, refreshPayment = false): Promise<void> {
  const deferred = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).deferredClaims.take(cartId)
  if (!deferred) return
  const started = performance.now()
  let stands = false
  try {
    stands = claimStands(deferred, await deferred.claim)
  } catch (error) {
    container.resolve("logger").warn(`medusa-uplift: personal offer decision of cart ${cartId} not recorded: ${(error as Error).message}`)
  }
  if (!stands) await recomputePromotions(container, cartId, refreshPayment)
  deferred.phases.claim_wait = performance.now() - started
  recordDecisionTiming(deferred.decidedMs + deferred.phases.claim_wait, deferred.phases)
}

async function recomputePromotions(container: MedusaContainer, cartId: string, refreshPayment: boolean): Promise<void> {
  try {
    await recomputeCartPromotions(container, cartId, { refreshPayment, insideWorkflow: `uplift-settle-claim:${cartId}` })
  } catch (error) {
    // The checkout's claim refuses a discount without its offer, so the cart cannot be charged it.
    container.resolve("logger").warn(`medusa-uplift: promotions of cart ${cartId} not recomputed after its offer's claim: ${(error as Error).message}`)
  }
}
