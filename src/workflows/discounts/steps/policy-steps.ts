import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { Modules } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { OFFER_CONTEXT_ATTRIBUTE, tierPromotionCode } from "../promotion-context"

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
/**
 * One automatic promotion per ladder level (`UPLIFT-10` for 10% off), which applies only when the
 * promotion context carries the matching `uplift_offer`: a handful of promotions serve every shopper.
 */
export const ensureTierPromotionsStep = createStep(ensureTierPromotionsStepId, async (levels: number[], { container }) => {
  const promotions = container.resolve(Modules.PROMOTION)
  const codes = levels.map(tierPromotionCode)
  const existing = await promotions.listPromotions({ code: codes }, { select: ["code"] })
  const have = new Set(existing.map((promotion) => promotion.code))
  const missing = levels.filter((level) => !have.has(tierPromotionCode(level)))
  if (missing.length) {
    await promotions.createPromotions(
      missing.map((level) => ({
        code: tierPromotionCode(level),
        type: "standard" as const,
        status: "active" as const,
        is_automatic: true,
        application_method: { type: "percentage" as const, target_type: "order" as const, allocation: "across" as const, value: level },
        rules: [{ attribute: OFFER_CONTEXT_ATTRIBUTE, operator: "eq" as const, values: [String(level)] }],
      }))
    )
  }
  return new StepResponse(missing)
})

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
