import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../../../../modules/discounts"
import type DiscountsModuleService from "../../../../modules/discounts/service"
import { deleteDiscountPolicyWorkflow, updateDiscountPolicyWorkflow } from "../../../../workflows/discounts/policy-workflows"
import { policyToApi, policyToColumns } from "../serialize"
import type { UpdateDiscountPolicyBody } from "../validators"
import { withDatabaseErrors } from "../../../utils/database-unavailable"

async function loadPolicy(req: AuthenticatedMedusaRequest<any>): Promise<Record<string, any>> {
  const discounts = req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const [policy] = await discounts.listDiscountPolicies({ id: req.params.id })
  if (!policy) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Discount policy with id "${req.params.id}" was not found`)
  }
  return policy
}

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const policy = await loadPolicy(req)
  const usage = await req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).budgetUsage(policy as any)
  res.json({ discount_policy: policyToApi(policy, usage) })
})

/** Partial update. Merged with the stored policy first, so cross-field rules hold for the result. */
export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<UpdateDiscountPolicyBody>, res: MedusaResponse) {
  const current = await loadPolicy(req)
  const body = req.validatedBody
  const ladder = body.ladder ?? current.ladder
  const maxDiscount = body.max_discount_percent ?? current.max_discount_percent
  if (ladder.some((level: number) => level > maxDiscount)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Invalid request: ladder: every ladder level must be at most max_discount_percent")
  }
  const { result } = await updateDiscountPolicyWorkflow(req.scope).run({ input: { id: current.id, ...policyToColumns(body) } })
  res.json({ discount_policy: policyToApi(result as any) })
})

export const DELETE = withDatabaseErrors(async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const policy = await loadPolicy(req)
  await deleteDiscountPolicyWorkflow(req.scope).run({ input: { id: policy.id } })
  await req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE).softDeleteDiscountPolicies(policy.id)
  res.json({ id: policy.id, object: "discount_policy", deleted: true })
})
