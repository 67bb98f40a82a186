import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  createDiscountPolicyStep,
  ensureTierPromotionsStep,
  revokePolicyOffersStep,
  updateDiscountPolicyStep,
} from "./steps/policy-steps"
import { refreshCartPromotionsStep } from "./steps/refresh-cart-promotions"

type PolicyData = Record<string, unknown> & { ladder?: number[]; status?: string }

function tierLevels({ policy }: { policy: any }): { levels: number[]; target: "order" | "items" } {
  return { levels: (policy.ladder as number[]) ?? [], target: policy.target === "items" ? "items" : "order" }
}

export const createDiscountPolicyWorkflow = createWorkflow("uplift-create-discount-policy", (input: PolicyData) => {
  const policy = createDiscountPolicyStep(input)
  ensureTierPromotionsStep(transform({ policy }, tierLevels))
  return new WorkflowResponse(policy)
})

/** Updates a policy; leaving `active` revokes its open offers and takes them off the carts. */
export const updateDiscountPolicyWorkflow = createWorkflow("uplift-update-discount-policy", (input: PolicyData & { id: string }) => {
  const policy = updateDiscountPolicyStep(input)
  ensureTierPromotionsStep(transform({ policy }, tierLevels))
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
