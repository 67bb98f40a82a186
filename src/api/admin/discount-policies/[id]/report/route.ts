import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { DISCOUNTS_MODULE } from "../../../../../modules/discounts"
import type DiscountsModuleService from "../../../../../modules/discounts/service"
import { UPLIFT_MODULE } from "../../../../../modules/uplift"
import type UpliftModuleService from "../../../../../modules/uplift/service"
import { buildPolicyReport } from "../../../../../workflows/discounts/policy-report"
import { withDatabaseErrors } from "../../../../utils/database-unavailable"

export const GET = withDatabaseErrors(async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const discounts = req.scope.resolve<DiscountsModuleService>(DISCOUNTS_MODULE)
  const [policy] = await discounts.listDiscountPolicies({ id: req.params.id })
  if (!policy) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Discount policy with id "${req.params.id}" was not found`)
  }
  const { window_days } = req.validatedQuery as { window_days: number }
  const report = await buildPolicyReport(discounts, req.scope.resolve<UpliftModuleService>(UPLIFT_MODULE), policy, window_days)
  res.json({ report })
})
