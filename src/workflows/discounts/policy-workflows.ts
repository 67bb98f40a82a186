import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  createDiscountPolicyStep,
  ensureTierPromotionsStep,
  revokePolicyOffersStep,
  updateDiscountPolicyStep,
} from "./steps/policy-steps"
import { refreshCartPromotionsStep } from "./steps/refresh-cart-promotions"

type PolicyData = Record<string, unknown> & { ladder?: number[]; status?: string }

export const createDiscountPolicyWorkflow = createWorkflow("uplift-create-discount-policy", (input: PolicyData) => {
  const policy = createDiscountPolicyStep(input)
  const levels = transform({ policy }, ({ policy }) => ((policy as any).ladder as number[]) ?? [])
  ensureTierPromotionsStep(levels)
  return new WorkflowResponse(policy)
})

/** Updates a policy; leaving `active` revokes its open offers and takes them off the carts. */
export const updateDiscountPolicyWorkflow = createWorkflow("uplift-update-discount-policy", (input: PolicyData & { id: string }) => {
  const policy = updateDiscountPolicyStep(input)
  const levels = transform({ policy }, ({ policy }) => ((policy as any).ladder as number[]) ?? [])
  ensureTierPromotionsStep(levels)
  when({ policy }, ({ policy }) => policy.status !== "active").then(() => {
    const revokeInput = transform({ policy }, ({ policy }) => ({ policy_id: policy.id, reason: `policy ${policy.status}` }))
    const customerIds = revokePolicyOffersStep(revokeInput)
    refreshCartPromotionsStep(customerIds)
  })
  return new WorkflowResponse(policy)
})

export const deleteDiscountPolicyWorkflow = createWorkflow("uplift-delete-discount-policy", (input: { id: string }) => {
  const revokeInput = transform({ input }, ({ input }) => ({ policy_id: input.id, reason: "policy deleted" }))
  const customerIds = revokePolicyOffersStep(revokeInput)
  refreshCartPromotionsStep(customerIds)
  const deleted = updateDiscountPolicyStep(transform({ input }, ({ input }) => ({ id: input.id, status: "paused" })))
  return new WorkflowResponse(deleted)
})
