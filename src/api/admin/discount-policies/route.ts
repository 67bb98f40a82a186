import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { DISCOUNTS_MODULE } from "../../../modules/discounts"
import type DiscountsModuleService from "../../../modules/discounts/service"
import { createDiscountPolicyWorkflow } from "../../../workflows/discounts/policy-workflows"
import { policyToApi, policyToColumns } from "./serialize"
import type { CreateDiscountPolicyBody } from "./validators"
import { withDatabaseErrors } from "../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { status, limit, offset } = req.validatedQuery as { status?: string; limit: number; offset: number }
  const discounts = req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const [policies, count] = await discounts.listAndCountDiscountPolicies(status ? { status: status as any } : {}, {
    take: limit,
    skip: offset,
    order: { created_at: "DESC" },
  })
  const withSpend = await Promise.all(policies.map(async (policy) => policyToApi(policy, await discounts.budgetUsage(policy as any))))
  res.json({ discount_policies: withSpend, count, limit, offset })
})

export const POST = withDatabaseErrors(async function POST(req: AuthenticatedMedusaRequest<CreateDiscountPolicyBody>, res: MedusaResponse) {
  const { result } = await createDiscountPolicyWorkflow(req.scope).run({ input: policyToColumns(req.validatedBody) })
  res.status(201).json({ discount_policy: policyToApi(result as any) })
})
