import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { ensureTierPromotions } from "../tier-promotions"

export const createDiscountPolicyStepId = "uplift-create-discount-policy"
/** Creates the policy row; compensation deletes it. */
export const createDiscountPolicyStep = createStep(
  createDiscountPolicyStepId,
  async (data: Record<string, unknown>, { container }) => {
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    const policy = await discounts.createDiscountPolicies(data as any)
    discounts.forgetLivePolicies()
    return new StepResponse(policy, policy.id)
  },
  async (id, { container }) => {
    if (id) await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).deleteDiscountPolicies(id)
  }
)

export const updateDiscountPolicyStepId = "uplift-update-discount-policy"
/** Updates the policy row; compensation restores the previous values. */
export const updateDiscountPolicyStep = createStep(
  updateDiscountPolicyStepId,
  async (data: Record<string, unknown> & { id: string }, { container }) => {
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    const previous = await discounts.retrieveDiscountPolicy(data.id)
    const policy = await discounts.updateDiscountPolicies(data as any)
    discounts.forgetLivePolicies()
    return new StepResponse(policy, previous)
  },
  async (previous, { container }) => {
    if (previous) await container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).updateDiscountPolicies(previous as any)
  }
)

export const ensureTierPromotionsStepId = "uplift-ensure-tier-promotions"
/** The policy's tier promotions, one per ladder level (src/workflows/discounts/tier-promotions.ts). */
export const ensureTierPromotionsStep = createStep(
  ensureTierPromotionsStepId,
  async (input: { levels: number[]; target?: "order" | "items" }, { container }) => {
    return new StepResponse(await ensureTierPromotions(container, input.levels, input.target ?? "order"))
  }
)

export const revokePolicyOffersStepId = "uplift-revoke-policy-offers"
/** Revokes a policy's open offers; returns their customers, whose open carts must be re-evaluated. */
export const revokePolicyOffersStep = createStep(
  revokePolicyOffersStepId,
  async (input: { policy_id: string; reason: string }, { container }) => {
    const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
    const revoked = await discounts.revokeOffers({ policy_id: input.policy_id }, input.reason)
    const customerIds = [...new Set(revoked.map((offer) => offer.customer_id as string))]
    return new StepResponse(customerIds, revoked.map((offer) => offer.id))
  },
  async (offerIds, { container }) => {
    if (offerIds?.length) {
      const discounts = container.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
      await discounts.updatePersonalOffers(offerIds.map((id) => ({ id, status: "active" as const, revoked_reason: null })))
    }
  }
)
